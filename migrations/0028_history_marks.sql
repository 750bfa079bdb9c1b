CREATE TABLE `history_marks` (
	`from_day` text PRIMARY KEY NOT NULL,
	`revision` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `history_marks_revision_idx` ON `history_marks` (`revision`);--> statement-breakpoint
-- What pages of a past date show (decision 0031). A page as of day D shows letters sent on or before
-- D: a change to one letter's own rows (counted in letter_page_revisions, migration 0026) can alter
-- only pages of days from the letter's sent date, and is marked under that date; a change that can
-- alter any letter's page (data_revision.letter_pages_revision: names, titles, dates, follow-up
-- links, repeated questions, letters added or removed) can alter any day's, and is marked under
-- 0000-00-00. Each mark takes a number above all others, so day D's history revision (the highest
-- number marked on or before D) moves exactly when a change could alter D's pages. A letter no
-- longer there (deleted) is marked for every day.
INSERT INTO history_marks (from_day, revision) VALUES ('0000-00-00', 1);
--> statement-breakpoint
CREATE TRIGGER `history_marks_every_day` AFTER UPDATE OF letter_pages_revision ON `data_revision` BEGIN
	INSERT INTO history_marks (from_day, revision) SELECT '0000-00-00', (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `history_marks_letter_insert` AFTER INSERT ON `letter_page_revisions` BEGIN
	INSERT INTO history_marks (from_day, revision)
		SELECT COALESCE((SELECT sent_on FROM letters WHERE id = NEW.letter_id), '0000-00-00'), (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `history_marks_letter_update` AFTER UPDATE ON `letter_page_revisions` BEGIN
	INSERT INTO history_marks (from_day, revision)
		SELECT COALESCE((SELECT sent_on FROM letters WHERE id = NEW.letter_id), '0000-00-00'), (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
	INSERT INTO history_marks (from_day, revision)
		SELECT COALESCE((SELECT sent_on FROM letters WHERE id = OLD.letter_id), '0000-00-00'), (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE OLD.letter_id <> NEW.letter_id
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `history_marks_letter_delete` AFTER DELETE ON `letter_page_revisions` BEGIN
	INSERT INTO history_marks (from_day, revision) SELECT '0000-00-00', (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
--> statement-breakpoint
-- A document's extracted text is searched, never shown on a letter page (no letter's count moves):
-- marked for every day.
CREATE TRIGGER `history_marks_document_pages_insert` AFTER INSERT ON `document_pages` BEGIN
	INSERT INTO history_marks (from_day, revision) SELECT '0000-00-00', (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `history_marks_document_pages_update` AFTER UPDATE ON `document_pages` BEGIN
	INSERT INTO history_marks (from_day, revision) SELECT '0000-00-00', (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `history_marks_document_pages_delete` AFTER DELETE ON `document_pages` BEGIN
	INSERT INTO history_marks (from_day, revision) SELECT '0000-00-00', (SELECT COALESCE(MAX(revision), 0) + 1 FROM history_marks) WHERE true
		ON CONFLICT(from_day) DO UPDATE SET revision = excluded.revision;
END;
