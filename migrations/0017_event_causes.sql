ALTER TABLE `letter_events` ADD `cause` text;--> statement-breakpoint
ALTER TABLE `letter_events` ADD `fan_cursor` integer DEFAULT 0 NOT NULL;