ALTER TABLE `letters` ADD `questions_repeated_from` text;--> statement-breakpoint
-- Backfill: each letter's earliest repeated_on (decision 0024); refreshRepeats keeps it from now on.
UPDATE `letters` SET `questions_repeated_from` = (
  SELECT MIN(q.repeated_on) FROM `questions` q WHERE q.letter_id = `letters`.id AND q.repeated_on IS NOT NULL)
WHERE id IN (SELECT letter_id FROM `questions` WHERE repeated_on IS NOT NULL);
