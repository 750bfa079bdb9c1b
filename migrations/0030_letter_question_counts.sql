ALTER TABLE `letter_state_history` ADD `questions_answered` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `letter_state_history` ADD `questions_partial` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `letter_state_history` ADD `questions_refused` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `letters` ADD `questions_answered` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `letters` ADD `questions_partial` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `letters` ADD `questions_refused` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Decision 0035: each letter's questions counted by status, stored with its state as of today and
-- in its state history. Rows written before this migration are filled from the statuses already
-- stored (questions.status as of today; question_state_history at the start of each interval of
-- the letter's history, whose intervals start on the same dates), so no rule is computed twice.
UPDATE `letters` SET `questions_answered` = c.answered, `questions_partial` = c.partial, `questions_refused` = c.refused
FROM (
  SELECT `letter_id`, SUM(`status` = 'answered') AS answered, SUM(`status` = 'partial') AS partial, SUM(`status` = 'refused') AS refused
  FROM `questions` GROUP BY `letter_id`
) AS c
WHERE `letters`.`id` = c.`letter_id` AND c.answered + c.partial + c.refused > 0;--> statement-breakpoint
UPDATE `letter_state_history` SET `questions_answered` = c.answered, `questions_partial` = c.partial, `questions_refused` = c.refused
FROM (
  SELECT h.`letter_id`, h.`valid_to`,
    SUM(qh.`status` = 'answered') AS answered, SUM(qh.`status` = 'partial') AS partial, SUM(qh.`status` = 'refused') AS refused
  FROM `letter_state_history` h
  JOIN `questions` q ON q.`letter_id` = h.`letter_id`
  JOIN `question_state_history` qh ON qh.`question_id` = q.`id` AND qh.`valid_from` <= h.`valid_from` AND qh.`valid_to` > h.`valid_from`
  GROUP BY h.`letter_id`, h.`valid_to`
) AS c
WHERE `letter_state_history`.`letter_id` = c.`letter_id` AND `letter_state_history`.`valid_to` = c.`valid_to`
  AND c.answered + c.partial + c.refused > 0;
