CREATE TABLE `agencies` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`acronym` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_slug_unique` ON `agencies` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_name_unique` ON `agencies` (`name`);--> statement-breakpoint
CREATE TABLE `committees` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`chamber` text NOT NULL,
	CONSTRAINT "committees_chamber_check" CHECK(chamber IN ('House', 'Senate', 'Joint'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `committees_slug_unique` ON `committees` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `committees_name_unique` ON `committees` (`name`);--> statement-breakpoint
CREATE TABLE `deadline_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`letter_id` integer NOT NULL,
	`new_deadline` text NOT NULL,
	`granted_on` text NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "deadline_changes_new_deadline_check" CHECK(new_deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "deadline_changes_granted_on_check" CHECK(granted_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
CREATE INDEX `deadline_changes_letter_granted_idx` ON `deadline_changes` (`letter_id`,`granted_on`);--> statement-breakpoint
CREATE TABLE `letter_recipients` (
	`letter_id` integer NOT NULL,
	`official_id` integer NOT NULL,
	`agency_id` integer NOT NULL,
	`title` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`letter_id`, `official_id`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`official_id`) REFERENCES `officials`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `letter_recipients_agency_idx` ON `letter_recipients` (`agency_id`,`letter_id`);--> statement-breakpoint
CREATE INDEX `letter_recipients_official_idx` ON `letter_recipients` (`official_id`);--> statement-breakpoint
CREATE TABLE `letter_senders` (
	`letter_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`role` text,
	`is_lead` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`letter_id`, `member_id`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `letter_senders_member_idx` ON `letter_senders` (`member_id`,`letter_id`);--> statement-breakpoint
CREATE TABLE `letter_tags` (
	`letter_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`letter_id`, `tag_id`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `letter_tags_tag_idx` ON `letter_tags` (`tag_id`,`letter_id`);--> statement-breakpoint
CREATE TABLE `letters` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`sent_on` text NOT NULL,
	`chamber` text NOT NULL,
	`committee_id` integer,
	`deadline` text,
	`summary` text,
	`notes` text,
	`internal_notes` text,
	`source_url` text,
	`follows_up_id` integer,
	`closed_on` text,
	`closed_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`effective_deadline` text,
	`first_response_on` text,
	`latest_response_on` text,
	`latest_completeness` text,
	`answer_status` text,
	`questions_total` integer DEFAULT 0 NOT NULL,
	`questions_open` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`committee_id`) REFERENCES `committees`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`follows_up_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "letters_chamber_check" CHECK(chamber IN ('House', 'Senate', 'Joint')),
	CONSTRAINT "letters_sent_on_check" CHECK(sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "letters_deadline_check" CHECK(deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "letters_closed_on_check" CHECK(closed_on IS NULL OR closed_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "letters_not_own_follow_up" CHECK(follows_up_id IS NULL OR follows_up_id <> id)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `letters_slug_unique` ON `letters` (`slug`);--> statement-breakpoint
CREATE INDEX `letters_sent_on_idx` ON `letters` (`sent_on`);--> statement-breakpoint
CREATE INDEX `letters_committee_idx` ON `letters` (`committee_id`,`sent_on`);--> statement-breakpoint
CREATE INDEX `letters_follows_up_idx` ON `letters` (`follows_up_id`);--> statement-breakpoint
CREATE INDEX `letters_effective_deadline_idx` ON `letters` (`effective_deadline`);--> statement-breakpoint
CREATE INDEX `letters_answer_status_idx` ON `letters` (`answer_status`,`effective_deadline`);--> statement-breakpoint
CREATE INDEX `letters_first_response_idx` ON `letters` (`first_response_on`);--> statement-breakpoint
CREATE INDEX `letters_closed_on_idx` ON `letters` (`closed_on`);--> statement-breakpoint
CREATE INDEX `letters_created_at_idx` ON `letters` (`created_at`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`party` text NOT NULL,
	`state` text NOT NULL,
	`chamber` text NOT NULL,
	CONSTRAINT "members_party_check" CHECK(party IN ('D', 'R', 'I')),
	CONSTRAINT "members_chamber_check" CHECK(chamber IN ('House', 'Senate'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_slug_unique` ON `members` (`slug`);--> statement-breakpoint
CREATE INDEX `members_name_idx` ON `members` (`name`);--> statement-breakpoint
CREATE TABLE `officials` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`title` text NOT NULL,
	`agency_id` integer NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `officials_name_agency_unique` ON `officials` (`name`,`agency_id`);--> statement-breakpoint
CREATE TABLE `question_assessments` (
	`id` integer PRIMARY KEY NOT NULL,
	`response_id` integer NOT NULL,
	`question_id` integer NOT NULL,
	`verdict` text NOT NULL,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "question_assessments_verdict_check" CHECK(verdict IN ('answered', 'partial', 'refused', 'not_addressed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `question_assessments_response_question_unique` ON `question_assessments` (`response_id`,`question_id`);--> statement-breakpoint
CREATE INDEX `question_assessments_question_idx` ON `question_assessments` (`question_id`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` integer PRIMARY KEY NOT NULL,
	`letter_id` integer NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`kind` text DEFAULT 'question' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "questions_kind_check" CHECK(kind IN ('question', 'document_request', 'briefing_request', 'testimony')),
	CONSTRAINT "questions_status_check" CHECK(status IN ('answered', 'partial', 'refused', 'open')),
	CONSTRAINT "questions_number_check" CHECK(number >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_letter_number_unique` ON `questions` (`letter_id`,`number`);--> statement-breakpoint
CREATE INDEX `questions_status_idx` ON `questions` (`status`,`letter_id`);--> statement-breakpoint
CREATE INDEX `questions_kind_idx` ON `questions` (`kind`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` integer PRIMARY KEY NOT NULL,
	`letter_id` integer NOT NULL,
	`received_on` text NOT NULL,
	`from` text NOT NULL,
	`completeness` text NOT NULL,
	`summary` text,
	`source_url` text,
	`notes` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "responses_completeness_check" CHECK(completeness IN ('full', 'partial', 'refusal', 'acknowledgment')),
	CONSTRAINT "responses_received_on_check" CHECK(received_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
CREATE INDEX `responses_letter_received_idx` ON `responses` (`letter_id`,`received_on`);--> statement-breakpoint
CREATE INDEX `responses_received_idx` ON `responses` (`received_on`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_slug_unique` ON `tags` (`slug`);