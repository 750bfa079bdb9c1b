CREATE INDEX `deadline_changes_new_deadline_idx` ON `deadline_changes` (`new_deadline`);--> statement-breakpoint
CREATE INDEX `letters_deadline_idx` ON `letters` (`deadline`);