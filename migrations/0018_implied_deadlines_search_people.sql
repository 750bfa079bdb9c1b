CREATE TABLE `state_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `letter_state_history` ADD `deadline_source` text;--> statement-breakpoint
ALTER TABLE `letters` ADD `deadline_source` text;--> statement-breakpoint
-- Search finds letters by who sent them, to whom (officials and agencies), the committee and the
-- topics (issue 13): a letter's row of search_index (rowid id*4, migration 0002) holds in its body,
-- after the summary, the senders' names, the recipients with their agencies, the committee and the
-- topic names, kept in step by the triggers below (the letter's own, and those of its senders,
-- recipients and topics, and of a renamed member, official, agency, committee or topic). The FTS
-- table itself and the question and response rows and triggers are unchanged.
DROP TRIGGER IF EXISTS `letters_search_insert`
--> statement-breakpoint
DROP TRIGGER IF EXISTS `letters_search_update`
--> statement-breakpoint
CREATE TRIGGER `letters_search_insert` AFTER INSERT ON `letters` BEGIN
	DELETE FROM search_index WHERE rowid = (NEW.id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = NEW.id;
END
--> statement-breakpoint
CREATE TRIGGER `letters_search_update` AFTER UPDATE OF title, summary, committee_id ON `letters` BEGIN
	DELETE FROM search_index WHERE rowid = (NEW.id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = NEW.id;
END
--> statement-breakpoint
CREATE TRIGGER `letter_senders_search_insert` AFTER INSERT ON `letter_senders` BEGIN
	DELETE FROM search_index WHERE rowid = (NEW.letter_id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = NEW.letter_id;
END
--> statement-breakpoint
CREATE TRIGGER `letter_senders_search_delete` AFTER DELETE ON `letter_senders` BEGIN
	DELETE FROM search_index WHERE rowid = (OLD.letter_id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = OLD.letter_id;
END
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_search_insert` AFTER INSERT ON `letter_recipients` BEGIN
	DELETE FROM search_index WHERE rowid = (NEW.letter_id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = NEW.letter_id;
END
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_search_delete` AFTER DELETE ON `letter_recipients` BEGIN
	DELETE FROM search_index WHERE rowid = (OLD.letter_id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = OLD.letter_id;
END
--> statement-breakpoint
CREATE TRIGGER `letter_tags_search_insert` AFTER INSERT ON `letter_tags` BEGIN
	DELETE FROM search_index WHERE rowid = (NEW.letter_id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = NEW.letter_id;
END
--> statement-breakpoint
CREATE TRIGGER `letter_tags_search_delete` AFTER DELETE ON `letter_tags` BEGIN
	DELETE FROM search_index WHERE rowid = (OLD.letter_id) * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id = OLD.letter_id;
END
--> statement-breakpoint
CREATE TRIGGER `members_search_rename` AFTER UPDATE OF name ON `members` BEGIN
	DELETE FROM search_index WHERE rowid IN (SELECT letter_id * 4 FROM (SELECT letter_id FROM letter_senders WHERE member_id = NEW.id));
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id IN (SELECT letter_id FROM (SELECT letter_id FROM letter_senders WHERE member_id = NEW.id));
END
--> statement-breakpoint
CREATE TRIGGER `officials_search_rename` AFTER UPDATE OF name ON `officials` BEGIN
	DELETE FROM search_index WHERE rowid IN (SELECT letter_id * 4 FROM (SELECT letter_id FROM letter_recipients WHERE official_id = NEW.id));
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id IN (SELECT letter_id FROM (SELECT letter_id FROM letter_recipients WHERE official_id = NEW.id));
END
--> statement-breakpoint
CREATE TRIGGER `agencies_search_rename` AFTER UPDATE OF name, acronym ON `agencies` BEGIN
	DELETE FROM search_index WHERE rowid IN (SELECT letter_id * 4 FROM (SELECT letter_id FROM letter_recipients WHERE agency_id = NEW.id));
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id IN (SELECT letter_id FROM (SELECT letter_id FROM letter_recipients WHERE agency_id = NEW.id));
END
--> statement-breakpoint
CREATE TRIGGER `committees_search_rename` AFTER UPDATE OF name ON `committees` BEGIN
	DELETE FROM search_index WHERE rowid IN (SELECT letter_id * 4 FROM (SELECT id AS letter_id FROM letters WHERE committee_id = NEW.id));
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id IN (SELECT letter_id FROM (SELECT id AS letter_id FROM letters WHERE committee_id = NEW.id));
END
--> statement-breakpoint
CREATE TRIGGER `tags_search_rename` AFTER UPDATE OF name ON `tags` BEGIN
	DELETE FROM search_index WHERE rowid IN (SELECT letter_id * 4 FROM (SELECT letter_id FROM letter_tags WHERE tag_id = NEW.id));
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
		SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
		FROM letters l WHERE l.id IN (SELECT letter_id FROM (SELECT letter_id FROM letter_tags WHERE tag_id = NEW.id));
END
--> statement-breakpoint
DELETE FROM search_index WHERE rowid IN (SELECT id * 4 FROM letters)
--> statement-breakpoint
INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	SELECT l.id * 4, 'letter', l.id, l.id, l.title, coalesce(l.summary, '')
		|| ' · ' || coalesce((SELECT group_concat(m.name, ', ') FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE ls.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(o.name || ', ' || a.name || coalesce(' (' || a.acronym || ')', ''), '; ') FROM letter_recipients lr JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = lr.agency_id WHERE lr.letter_id = l.id), '')
		|| ' · ' || coalesce((SELECT c.name FROM letters cl JOIN committees c ON c.id = cl.committee_id WHERE cl.id = l.id), '')
		|| ' · ' || coalesce((SELECT group_concat(t.name, ', ') FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = l.id), '')
	FROM letters l;

--> statement-breakpoint
-- letter_state_history rows written before deadline_source existed lack it: the backfill rewrites
-- every letter's history (syncStateSettings at the next start does so at once, decision 0014).
UPDATE `state_history_progress` SET `complete` = 0, `backfilled_through` = 0;
--> statement-breakpoint
-- state_settings holds the DEFAULT_RESPONSE_DAYS the stored state was computed with: a change of it
-- changes what every figure and page says, so it moves the data revision like tracker data does
-- (even when no letter row changes, e.g. an empty tracker), and cached figures and pages go stale.
CREATE TRIGGER `state_settings_revision_insert` AFTER INSERT ON `state_settings` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `state_settings_revision_update` AFTER UPDATE ON `state_settings` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `state_settings_revision_delete` AFTER DELETE ON `state_settings` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
