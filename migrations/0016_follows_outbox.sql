CREATE TABLE `app_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `follow_deliveries` (
	`follow_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`outbox_id` integer,
	PRIMARY KEY(`follow_id`, `event_id`),
	FOREIGN KEY (`follow_id`) REFERENCES `follows`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `letter_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `follow_deliveries_waiting_idx` ON `follow_deliveries` (`follow_id`,`outbox_id`);--> statement-breakpoint
CREATE TABLE `follow_requests` (
	`id` integer PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`client` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `follow_requests_email_idx` ON `follow_requests` (`email`,`at`);--> statement-breakpoint
CREATE INDEX `follow_requests_client_idx` ON `follow_requests` (`client`,`at`);--> statement-breakpoint
CREATE TABLE `follows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_key` text NOT NULL,
	`subject_label` text NOT NULL,
	`cadence` text DEFAULT 'immediate' NOT NULL,
	`digest_hour` integer DEFAULT 8 NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`confirmed_at` integer,
	`unsubscribed_at` integer,
	`last_digest_at` integer,
	CONSTRAINT "follows_subject_kind_check" CHECK(subject_kind IN ('letter', 'agency', 'member', 'committee', 'topic', 'search')),
	CONSTRAINT "follows_cadence_check" CHECK(cadence IN ('immediate', 'daily', 'weekly')),
	CONSTRAINT "follows_digest_hour_check" CHECK(digest_hour BETWEEN 0 AND 23)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follows_subscription_unique` ON `follows` (`email`,`subject_kind`,`subject_key`);--> statement-breakpoint
CREATE INDEX `follows_subject_idx` ON `follows` (`subject_kind`,`subject_key`);--> statement-breakpoint
CREATE TABLE `letter_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`letter_id` integer NOT NULL,
	`letter_slug` text NOT NULL,
	`letter_title` text NOT NULL,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`dedupe_key` text,
	`fanned_out` integer DEFAULT false NOT NULL,
	CONSTRAINT "letter_events_kind_check" CHECK(kind IN ('letter_logged', 'response_logged', 'deadline_extended', 'letter_closed', 'letter_reopened', 'follow_up_sent', 'letter_overdue'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `letter_events_dedupe_unique` ON `letter_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `letter_events_pending_idx` ON `letter_events` (`fanned_out`,`id`);--> statement-breakpoint
CREATE INDEX `letter_events_letter_idx` ON `letter_events` (`letter_id`,`id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`follow_id` integer,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`message_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_error` text,
	`last_response` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`follow_id`) REFERENCES `follows`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "outbox_kind_check" CHECK(kind IN ('confirm', 'alert', 'digest')),
	CONSTRAINT "outbox_state_check" CHECK(state IN ('queued', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_id_unique` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);