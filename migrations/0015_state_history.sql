-- Derived state history (decision 13): new tables only, no table is rebuilt.
-- After the generated statements, by hand: the one progress row. A database without letters has
-- nothing to backfill (complete); one with letters is backfilled at start (backfillStateHistory).
CREATE TABLE `letter_state_history` (
	`letter_id` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text NOT NULL,
	`effective_deadline` text,
	`first_response_on` text,
	`latest_response_on` text,
	`latest_completeness` text,
	`answer_status` text,
	`questions_total` integer DEFAULT 0 NOT NULL,
	`questions_open` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`letter_id`, `valid_to`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "letter_state_history_interval" CHECK(valid_from < valid_to)
);
--> statement-breakpoint
CREATE TABLE `question_state_history` (
	`question_id` integer NOT NULL,
	`letter_id` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text NOT NULL,
	`status` text NOT NULL,
	`status_on` text,
	PRIMARY KEY(`question_id`, `valid_to`),
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "question_state_history_interval" CHECK(valid_from < valid_to)
);
--> statement-breakpoint
CREATE TABLE `state_history_progress` (
	`id` integer PRIMARY KEY NOT NULL,
	`backfilled_through` integer DEFAULT 0 NOT NULL,
	`complete` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "state_history_progress_one_row" CHECK("state_history_progress"."id" = 1)
);
--> statement-breakpoint
INSERT INTO `state_history_progress` (`id`, `backfilled_through`, `complete`) SELECT 1, 0, NOT EXISTS (SELECT 1 FROM `letters`);
