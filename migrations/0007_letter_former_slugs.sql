CREATE TABLE `letter_former_slugs` (
	`slug` text PRIMARY KEY NOT NULL,
	`letter_id` integer NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `letter_former_slugs_letter_idx` ON `letter_former_slugs` (`letter_id`);--> statement-breakpoint
-- Written by hand after drizzle-kit's table: like every table of tracker data, it moves data_revision.
CREATE TRIGGER `letter_former_slugs_revision_insert` AFTER INSERT ON `letter_former_slugs` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_former_slugs_revision_update` AFTER UPDATE ON `letter_former_slugs` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_former_slugs_revision_delete` AFTER DELETE ON `letter_former_slugs` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
