ALTER TABLE `questions` ADD `repeats_question_id` integer REFERENCES questions(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `repeated_on` text;--> statement-breakpoint
ALTER TABLE `questions` ADD `first_asked_on` text;--> statement-breakpoint
CREATE INDEX `questions_repeats_idx` ON `questions` (`repeats_question_id`) WHERE repeats_question_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `questions_repeated_idx` ON `questions` (`letter_id`,`repeated_on`) WHERE repeated_on IS NOT NULL;