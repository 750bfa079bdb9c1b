-- A letter stored with the slug `new` before RESERVED_LETTER_SLUGS (app/domain/slug.ts, decision
-- 0032) could never be reached at /letters/new: that is the new-letter form. It gets the address
-- the writer gives a slug that clashes (freeSlug: `new-2`, else `new-3`, ...: the first that no
-- letter has), as the writer renames a letter (recordSlugChange): `new` becomes its former slug
-- (its edit, card, badge and response addresses, and forms opened on it, keep finding it), a former
-- slug of another letter that the new address takes is dropped (a live slug wins), the letter's
-- version moves (a form opened on it before is told what changed) and its history says why
-- (decision 0034). At most one letter (slugs are unique); none: nothing changes.
DELETE FROM `letter_former_slugs`
WHERE EXISTS (SELECT 1 FROM `letters` WHERE `slug` = 'new')
  AND `slug` = (
    WITH RECURSIVE `n`(`i`) AS (SELECT 2 UNION ALL SELECT `i` + 1 FROM `n` WHERE EXISTS (SELECT 1 FROM `letters` WHERE `slug` = 'new-' || `i`))
    SELECT 'new-' || MAX(`i`) FROM `n`);
--> statement-breakpoint
INSERT INTO `letter_former_slugs` (`slug`, `letter_id`)
SELECT 'new', `id` FROM `letters` WHERE `slug` = 'new'
ON CONFLICT(`slug`) DO UPDATE SET `letter_id` = excluded.`letter_id`;
--> statement-breakpoint
INSERT INTO `audit_events` (`actor_name`, `action`, `entity`, `entity_id`, `letter_id`, `letter_version`, `summary`, `before`, `after`)
SELECT 'system', 'update', 'letter', `id`, `id`, `version` + 1,
  'Address changed by the tracker''s upgrade (/letters/new is the form for a new letter): address (slug)',
  json_object('slug', 'new'),
  json_object('slug', (
    WITH RECURSIVE `n`(`i`) AS (SELECT 2 UNION ALL SELECT `i` + 1 FROM `n` WHERE EXISTS (SELECT 1 FROM `letters` WHERE `slug` = 'new-' || `i`))
    SELECT 'new-' || MAX(`i`) FROM `n`))
FROM `letters` WHERE `slug` = 'new';
--> statement-breakpoint
UPDATE `letters`
SET `slug` = (
    WITH RECURSIVE `n`(`i`) AS (SELECT 2 UNION ALL SELECT `i` + 1 FROM `n` WHERE EXISTS (SELECT 1 FROM `letters` WHERE `slug` = 'new-' || `i`))
    SELECT 'new-' || MAX(`i`) FROM `n`),
  `version` = `version` + 1,
  `updated_at` = cast(unixepoch('subsec') * 1000 as integer)
WHERE `slug` = 'new';
