CREATE TABLE `letter_former_slugs` (
	`slug` text PRIMARY KEY NOT NULL,
	`letter_id` integer NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `letter_former_slugs_letter_idx` ON `letter_former_slugs` (`letter_id`);