-- Decision 0035 addendum: migration 0030 filled each interval of a letter's state history with its
-- questions' statuses at the interval's start. An interval written before 0030 was cut only where
-- the columns stored then changed, and a question's status can change without any of them: a
-- verdict carried by an acknowledgment (which moves no response date) that turns a partly answered
-- question into an answered one leaves the letter partly answered with as many questions open. Such
-- an interval held the counts of its start to the end of time, while `letters` (filled from
-- questions.status) held today's. The letters whose question history starts an interval on a date
-- their letter history does not are rewritten as the writer writes them: one row at each date
-- either history starts an interval, the stored columns of the letter's interval, the counts of
-- its questions' intervals, and a row kept only where the state differs from the previous date's.
CREATE TEMP TABLE `split_history_letters` AS
SELECT DISTINCT q.`letter_id`
FROM `question_state_history` qh
JOIN `questions` q ON q.`id` = qh.`question_id`
WHERE NOT EXISTS (
  SELECT 1 FROM `letter_state_history` h WHERE h.`letter_id` = q.`letter_id` AND h.`valid_from` = qh.`valid_from`
);--> statement-breakpoint
CREATE TEMP TABLE `split_history_rows` AS
WITH `points` AS (
  SELECT h.`letter_id`, h.`valid_from` AS `as_of` FROM `letter_state_history` h
  WHERE h.`letter_id` IN (SELECT `letter_id` FROM temp.`split_history_letters`)
  UNION
  SELECT q.`letter_id`, qh.`valid_from` FROM `question_state_history` qh JOIN `questions` q ON q.`id` = qh.`question_id`
  WHERE q.`letter_id` IN (SELECT `letter_id` FROM temp.`split_history_letters`)
),
`steps` AS (
  SELECT p.`letter_id`, p.`as_of`, h.`effective_deadline`, h.`deadline_source`, h.`first_response_on`, h.`latest_response_on`,
    h.`latest_completeness`, h.`answer_status`, h.`questions_total`, h.`questions_open`,
    (SELECT COUNT(*) FROM `question_state_history` qh JOIN `questions` q ON q.`id` = qh.`question_id`
      WHERE q.`letter_id` = p.`letter_id` AND qh.`valid_from` <= p.`as_of` AND qh.`valid_to` > p.`as_of` AND qh.`status` = 'answered') AS `questions_answered`,
    (SELECT COUNT(*) FROM `question_state_history` qh JOIN `questions` q ON q.`id` = qh.`question_id`
      WHERE q.`letter_id` = p.`letter_id` AND qh.`valid_from` <= p.`as_of` AND qh.`valid_to` > p.`as_of` AND qh.`status` = 'partial') AS `questions_partial`,
    (SELECT COUNT(*) FROM `question_state_history` qh JOIN `questions` q ON q.`id` = qh.`question_id`
      WHERE q.`letter_id` = p.`letter_id` AND qh.`valid_from` <= p.`as_of` AND qh.`valid_to` > p.`as_of` AND qh.`status` = 'refused') AS `questions_refused`
  FROM `points` p
  JOIN `letter_state_history` h ON h.`letter_id` = p.`letter_id` AND h.`valid_from` <= p.`as_of` AND h.`valid_to` > p.`as_of`
),
`changes` AS (
  SELECT *,
    json_array(`effective_deadline`, `deadline_source`, `first_response_on`, `latest_response_on`, `latest_completeness`, `answer_status`,
      `questions_total`, `questions_open`, `questions_answered`, `questions_partial`, `questions_refused`) AS `state`,
    LAG(json_array(`effective_deadline`, `deadline_source`, `first_response_on`, `latest_response_on`, `latest_completeness`, `answer_status`,
      `questions_total`, `questions_open`, `questions_answered`, `questions_partial`, `questions_refused`)) OVER (PARTITION BY `letter_id` ORDER BY `as_of`) AS `previous`
  FROM `steps`
)
SELECT `letter_id`, `as_of` AS `valid_from`, COALESCE(LEAD(`as_of`) OVER (PARTITION BY `letter_id` ORDER BY `as_of`), '9999-12-31') AS `valid_to`,
  `effective_deadline`, `deadline_source`, `first_response_on`, `latest_response_on`, `latest_completeness`, `answer_status`,
  `questions_total`, `questions_open`, `questions_answered`, `questions_partial`, `questions_refused`
FROM `changes` WHERE `previous` IS NULL OR `previous` <> `state`;--> statement-breakpoint
DELETE FROM `letter_state_history` WHERE `letter_id` IN (SELECT `letter_id` FROM temp.`split_history_letters`);--> statement-breakpoint
INSERT INTO `letter_state_history` (`letter_id`, `valid_from`, `valid_to`, `effective_deadline`, `deadline_source`, `first_response_on`,
  `latest_response_on`, `latest_completeness`, `answer_status`, `questions_total`, `questions_open`, `questions_answered`, `questions_partial`, `questions_refused`)
SELECT `letter_id`, `valid_from`, `valid_to`, `effective_deadline`, `deadline_source`, `first_response_on`,
  `latest_response_on`, `latest_completeness`, `answer_status`, `questions_total`, `questions_open`, `questions_answered`, `questions_partial`, `questions_refused`
FROM temp.`split_history_rows`;--> statement-breakpoint
DROP TABLE temp.`split_history_rows`;--> statement-breakpoint
DROP TABLE temp.`split_history_letters`;
