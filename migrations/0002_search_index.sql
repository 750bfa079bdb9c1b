-- Full-text search over letter titles and summaries, question texts and response summaries.
-- Kept in step with every write by the triggers below. The rowid encodes what a row is, so a
-- trigger finds its row without scanning: letter id*4, question id*4+1, response id*4+2.
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`kind` UNINDEXED,
	`item_id` UNINDEXED,
	`letter_id` UNINDEXED,
	`title`,
	`body`,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `search_index` (rowid, kind, item_id, letter_id, title, body)
	SELECT id * 4, 'letter', id, id, title, coalesce(summary, '') FROM letters;
--> statement-breakpoint
INSERT INTO `search_index` (rowid, kind, item_id, letter_id, title, body)
	SELECT id * 4 + 1, 'question', id, letter_id, '', text FROM questions;
--> statement-breakpoint
INSERT INTO `search_index` (rowid, kind, item_id, letter_id, title, body)
	SELECT id * 4 + 2, 'response', id, letter_id, `from`, coalesce(summary, '') FROM responses;
--> statement-breakpoint
CREATE TRIGGER `letters_search_insert` AFTER INSERT ON `letters` BEGIN
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4, 'letter', NEW.id, NEW.id, NEW.title, coalesce(NEW.summary, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `letters_search_update` AFTER UPDATE OF title, summary ON `letters` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4, 'letter', NEW.id, NEW.id, NEW.title, coalesce(NEW.summary, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `letters_search_delete` AFTER DELETE ON `letters` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_search_insert` AFTER INSERT ON `questions` BEGIN
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 1, 'question', NEW.id, NEW.letter_id, '', NEW.text);
END;
--> statement-breakpoint
CREATE TRIGGER `questions_search_update` AFTER UPDATE OF text, letter_id ON `questions` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 1, 'question', NEW.id, NEW.letter_id, '', NEW.text);
END;
--> statement-breakpoint
CREATE TRIGGER `questions_search_delete` AFTER DELETE ON `questions` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_search_insert` AFTER INSERT ON `responses` BEGIN
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 2, 'response', NEW.id, NEW.letter_id, NEW.`from`, coalesce(NEW.summary, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `responses_search_update` AFTER UPDATE OF `from`, summary ON `responses` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 2, 'response', NEW.id, NEW.letter_id, NEW.`from`, coalesce(NEW.summary, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `responses_search_delete` AFTER DELETE ON `responses` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;
END;
