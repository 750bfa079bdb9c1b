-- The words the searchable pickers match (GET /pickers/:kind): agencies, committees, members, topics
-- and officials by the words of their names, prefix-matched through the FTS5 index (a B-tree on the
-- name only serves a prefix of the whole name: "Home" must find "Department of Homeland Security").
-- `kind` is a column so that a query reads only its own kind's rows. The rowid encodes what a row
-- is, so a trigger finds its row without scanning: id*8 + 1 agency, 2 committee, 3 member, 4 topic,
-- 5 official. Kept in step with every write by the triggers below.
CREATE VIRTUAL TABLE `picker_index` USING fts5(
	`kind`,
	`words`,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
--> statement-breakpoint
INSERT INTO `picker_index` (rowid, kind, words)
	SELECT id * 8 + 1, 'agency', name || ' ' || coalesce(acronym, '') FROM agencies;
--> statement-breakpoint
INSERT INTO `picker_index` (rowid, kind, words)
	SELECT id * 8 + 2, 'committee', name FROM committees;
--> statement-breakpoint
INSERT INTO `picker_index` (rowid, kind, words)
	SELECT id * 8 + 3, 'member', name || ' (' || party || '-' || state || ')' FROM members;
--> statement-breakpoint
INSERT INTO `picker_index` (rowid, kind, words)
	SELECT id * 8 + 4, 'topic', name FROM tags;
--> statement-breakpoint
INSERT INTO `picker_index` (rowid, kind, words)
	SELECT o.id * 8 + 5, 'official', o.name || ' ' || o.title || ' ' || a.name FROM officials o JOIN agencies a ON a.id = o.agency_id;
--> statement-breakpoint
CREATE TRIGGER `agencies_picker_insert` AFTER INSERT ON `agencies` BEGIN
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 1, 'agency', NEW.name || ' ' || coalesce(NEW.acronym, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_picker_update` AFTER UPDATE OF name, acronym ON `agencies` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 1;
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 1, 'agency', NEW.name || ' ' || coalesce(NEW.acronym, ''));
	-- An official is found by its agency's name too.
	DELETE FROM picker_index WHERE rowid IN (SELECT id * 8 + 5 FROM officials WHERE agency_id = NEW.id);
	INSERT INTO picker_index (rowid, kind, words)
		SELECT id * 8 + 5, 'official', name || ' ' || title || ' ' || NEW.name FROM officials WHERE agency_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_picker_delete` AFTER DELETE ON `agencies` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_picker_insert` AFTER INSERT ON `committees` BEGIN
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 2, 'committee', NEW.name);
END;
--> statement-breakpoint
CREATE TRIGGER `committees_picker_update` AFTER UPDATE OF name ON `committees` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 2;
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 2, 'committee', NEW.name);
END;
--> statement-breakpoint
CREATE TRIGGER `committees_picker_delete` AFTER DELETE ON `committees` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 2;
END;
--> statement-breakpoint
CREATE TRIGGER `members_picker_insert` AFTER INSERT ON `members` BEGIN
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 3, 'member', NEW.name || ' (' || NEW.party || '-' || NEW.state || ')');
END;
--> statement-breakpoint
CREATE TRIGGER `members_picker_update` AFTER UPDATE OF name, party, state ON `members` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 3;
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 3, 'member', NEW.name || ' (' || NEW.party || '-' || NEW.state || ')');
END;
--> statement-breakpoint
CREATE TRIGGER `members_picker_delete` AFTER DELETE ON `members` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 3;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_picker_insert` AFTER INSERT ON `tags` BEGIN
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 4, 'topic', NEW.name);
END;
--> statement-breakpoint
CREATE TRIGGER `tags_picker_update` AFTER UPDATE OF name ON `tags` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 4;
	INSERT INTO picker_index (rowid, kind, words) VALUES (NEW.id * 8 + 4, 'topic', NEW.name);
END;
--> statement-breakpoint
CREATE TRIGGER `tags_picker_delete` AFTER DELETE ON `tags` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 4;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_picker_insert` AFTER INSERT ON `officials` BEGIN
	INSERT INTO picker_index (rowid, kind, words)
		SELECT NEW.id * 8 + 5, 'official', NEW.name || ' ' || NEW.title || ' ' || name FROM agencies WHERE id = NEW.agency_id;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_picker_update` AFTER UPDATE OF name, title, agency_id ON `officials` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 5;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT NEW.id * 8 + 5, 'official', NEW.name || ' ' || NEW.title || ' ' || name FROM agencies WHERE id = NEW.agency_id;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_picker_delete` AFTER DELETE ON `officials` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.id * 8 + 5;
END;
