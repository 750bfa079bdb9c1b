-- The outbox names every kind of message and a "cancelled" state (issue 14, decision 0020 addendum):
-- kinds `reminder` (staff deadline reminders, written as `alert` before) and `manage` (the fresh
-- manage link, written as `confirm` before), recognised by their dedupe keys; state `cancelled`
-- for a message whose reason no longer held when its turn came (the unsent messages of an
-- unsubscribed follow or stopped reminders were marked `failed` before, with that reason).
-- The drizzle-kit rebuild was reviewed by hand: every row and id is kept (follow_deliveries.outbox_id
-- refers to them; db/migrate.server.ts turns foreign keys off around migrations and runs
-- foreign_key_check after), and so is its AUTOINCREMENT sequence; the outbox has no triggers; its
-- four indexes are re-created below.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
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
	CONSTRAINT "outbox_kind_check" CHECK(kind IN ('confirm', 'alert', 'digest', 'reminder', 'manage')),
	CONSTRAINT "outbox_state_check" CHECK(state IN ('queued', 'sent', 'failed', 'cancelled'))
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "kind", "follow_id", "to_address", "subject", "text_body", "html_body", "headers", "message_id", "dedupe_key", "state", "attempts", "next_attempt_at", "last_error", "last_response", "sent_at", "created_at") SELECT "id",
  CASE WHEN "dedupe_key" LIKE 'reminder:%' THEN 'reminder' WHEN "dedupe_key" LIKE 'manage:%' THEN 'manage' ELSE "kind" END,
  "follow_id", "to_address", "subject", "text_body", "html_body", "headers", "message_id", "dedupe_key",
  CASE WHEN "state" = 'failed' AND "last_error" IN ('Unsubscribed before it was sent', 'Reminders stopped before it was sent') THEN 'cancelled' ELSE "state" END,
  "attempts", "next_attempt_at", "last_error", "last_response", "sent_at", "created_at" FROM `outbox`;--> statement-breakpoint
-- AUTOINCREMENT's high-water mark goes with the rows: an id is never given twice (its .eml file name).
INSERT INTO sqlite_sequence (name, seq) SELECT '__new_outbox', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '__new_outbox');--> statement-breakpoint
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)) WHERE name = '__new_outbox';--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_id_unique` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);