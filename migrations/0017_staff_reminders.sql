CREATE TABLE `staff_reminder_settings` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`scope` text DEFAULT 'logged' NOT NULL,
	`committee_id` integer,
	`days_before` text DEFAULT '[7,1]' NOT NULL,
	`on_overdue` integer DEFAULT true NOT NULL,
	`hour` integer DEFAULT 8 NOT NULL,
	`secret` text NOT NULL,
	`stopped_at` integer,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`committee_id`) REFERENCES `committees`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "staff_reminder_settings_scope_check" CHECK(scope IN ('logged', 'committee', 'all')),
	CONSTRAINT "staff_reminder_settings_hour_check" CHECK(hour BETWEEN 0 AND 23),
	CONSTRAINT "staff_reminder_settings_days_check" CHECK(json_valid(days_before) AND json_type(days_before) = 'array')
);
