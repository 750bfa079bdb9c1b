CREATE INDEX `letters_title_idx` ON `letters` ("title" COLLATE NOCASE,`slug`);--> statement-breakpoint
CREATE INDEX `officials_agency_idx` ON `officials` (`agency_id`,`name`);--> statement-breakpoint
CREATE INDEX `responses_created_at_idx` ON `responses` (`created_at`);