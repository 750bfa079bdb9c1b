ALTER TABLE `letter_events` ADD `cause` text;--> statement-breakpoint
ALTER TABLE `letter_events` ADD `fan_cursor` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `follow_deliveries_unsent_idx` ON `follow_deliveries` (`follow_id`) WHERE outbox_id IS NULL;