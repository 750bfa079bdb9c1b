-- Letters, questions, responses and extensions get AUTOINCREMENT ids: a deleted row's id is never
-- given to another, so history and links that refer to it can never show on a stranger. The
-- drizzle-kit rebuild was reviewed by hand: the old tables have no `version` column (it starts at 1);
-- db/migrate.server.ts turns foreign keys off around migrations (PRAGMA foreign_keys is a no-op
-- inside the migrator's transaction, and DROP TABLE letters would otherwise cascade-delete every
-- question, sender and response), then runs foreign_key_check; the triggers of migrations 0002 and
-- 0005 on the rebuilt tables are dropped with them and re-created below, unchanged.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_deadline_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`new_deadline` text NOT NULL,
	`granted_on` text NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "deadline_changes_new_deadline_check" CHECK(new_deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "deadline_changes_granted_on_check" CHECK(granted_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
INSERT INTO `__new_deadline_changes`("id", "letter_id", "new_deadline", "granted_on", "reason", "created_at") SELECT "id", "letter_id", "new_deadline", "granted_on", "reason", "created_at" FROM `deadline_changes`;--> statement-breakpoint
DROP TABLE `deadline_changes`;--> statement-breakpoint
ALTER TABLE `__new_deadline_changes` RENAME TO `deadline_changes`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `deadline_changes_letter_granted_idx` ON `deadline_changes` (`letter_id`,`granted_on`);--> statement-breakpoint
CREATE TABLE `__new_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`sent_on` text NOT NULL,
	`chamber` text NOT NULL,
	`committee_id` integer,
	`deadline` text,
	`summary` text,
	`notes` text,
	`internal_notes` text,
	`source_url` text,
	`follows_up_id` integer,
	`closed_on` text,
	`closed_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`effective_deadline` text,
	`first_response_on` text,
	`latest_response_on` text,
	`latest_completeness` text,
	`answer_status` text,
	`questions_total` integer DEFAULT 0 NOT NULL,
	`questions_open` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`committee_id`) REFERENCES `committees`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`follows_up_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "letters_chamber_check" CHECK(chamber IN ('House', 'Senate', 'Joint')),
	CONSTRAINT "letters_sent_on_check" CHECK(sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "letters_deadline_check" CHECK(deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "letters_closed_on_check" CHECK(closed_on IS NULL OR closed_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "letters_not_own_follow_up" CHECK(follows_up_id IS NULL OR follows_up_id <> id)
);
--> statement-breakpoint
INSERT INTO `__new_letters`("id", "slug", "title", "sent_on", "chamber", "committee_id", "deadline", "summary", "notes", "internal_notes", "source_url", "follows_up_id", "closed_on", "closed_reason", "version", "created_at", "updated_at", "effective_deadline", "first_response_on", "latest_response_on", "latest_completeness", "answer_status", "questions_total", "questions_open") SELECT "id", "slug", "title", "sent_on", "chamber", "committee_id", "deadline", "summary", "notes", "internal_notes", "source_url", "follows_up_id", "closed_on", "closed_reason", 1, "created_at", "updated_at", "effective_deadline", "first_response_on", "latest_response_on", "latest_completeness", "answer_status", "questions_total", "questions_open" FROM `letters`;--> statement-breakpoint
DROP TABLE `letters`;--> statement-breakpoint
ALTER TABLE `__new_letters` RENAME TO `letters`;--> statement-breakpoint
CREATE UNIQUE INDEX `letters_slug_unique` ON `letters` (`slug`);--> statement-breakpoint
CREATE INDEX `letters_sent_on_idx` ON `letters` (`sent_on`);--> statement-breakpoint
CREATE INDEX `letters_committee_idx` ON `letters` (`committee_id`,`sent_on`);--> statement-breakpoint
CREATE INDEX `letters_follows_up_idx` ON `letters` (`follows_up_id`);--> statement-breakpoint
CREATE INDEX `letters_effective_deadline_idx` ON `letters` (`effective_deadline`);--> statement-breakpoint
CREATE INDEX `letters_answer_status_idx` ON `letters` (`answer_status`,`effective_deadline`);--> statement-breakpoint
CREATE INDEX `letters_first_response_idx` ON `letters` (`first_response_on`);--> statement-breakpoint
CREATE INDEX `letters_closed_on_idx` ON `letters` (`closed_on`);--> statement-breakpoint
CREATE INDEX `letters_created_at_idx` ON `letters` (`created_at`);--> statement-breakpoint
CREATE TABLE `__new_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`kind` text DEFAULT 'question' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`status_on` text,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "questions_kind_check" CHECK(kind IN ('question', 'document_request', 'briefing_request', 'testimony')),
	CONSTRAINT "questions_status_check" CHECK(status IN ('answered', 'partial', 'refused', 'open')),
	CONSTRAINT "questions_number_check" CHECK(number >= 1)
);
--> statement-breakpoint
INSERT INTO `__new_questions`("id", "letter_id", "number", "text", "kind", "status", "status_on") SELECT "id", "letter_id", "number", "text", "kind", "status", "status_on" FROM `questions`;--> statement-breakpoint
DROP TABLE `questions`;--> statement-breakpoint
ALTER TABLE `__new_questions` RENAME TO `questions`;--> statement-breakpoint
CREATE UNIQUE INDEX `questions_letter_number_unique` ON `questions` (`letter_id`,`number`);--> statement-breakpoint
CREATE INDEX `questions_status_idx` ON `questions` (`status`,`letter_id`);--> statement-breakpoint
CREATE INDEX `questions_kind_idx` ON `questions` (`kind`);--> statement-breakpoint
CREATE TABLE `__new_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`letter_id` integer NOT NULL,
	`received_on` text NOT NULL,
	`from` text NOT NULL,
	`completeness` text NOT NULL,
	`summary` text,
	`source_url` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "responses_completeness_check" CHECK(completeness IN ('full', 'partial', 'refusal', 'acknowledgment')),
	CONSTRAINT "responses_received_on_check" CHECK(received_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
INSERT INTO `__new_responses`("id", "letter_id", "received_on", "from", "completeness", "summary", "source_url", "notes", "version", "created_at", "updated_at") SELECT "id", "letter_id", "received_on", "from", "completeness", "summary", "source_url", "notes", 1, "created_at", "updated_at" FROM `responses`;--> statement-breakpoint
DROP TABLE `responses`;--> statement-breakpoint
ALTER TABLE `__new_responses` RENAME TO `responses`;--> statement-breakpoint
CREATE INDEX `responses_letter_received_idx` ON `responses` (`letter_id`,`received_on`);--> statement-breakpoint
CREATE INDEX `responses_received_idx` ON `responses` (`received_on`);--> statement-breakpoint
ALTER TABLE `audit_events` ADD `letter_version` integer;--> statement-breakpoint
CREATE TRIGGER `letters_search_insert` AFTER INSERT ON `letters` BEGIN
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4, 'letter', NEW.id, NEW.id, NEW.title, coalesce(NEW.summary, ''));
END;--> statement-breakpoint
CREATE TRIGGER `letters_search_update` AFTER UPDATE OF title, summary ON `letters` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4, 'letter', NEW.id, NEW.id, NEW.title, coalesce(NEW.summary, ''));
END;--> statement-breakpoint
CREATE TRIGGER `letters_search_delete` AFTER DELETE ON `letters` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4;
END;--> statement-breakpoint
CREATE TRIGGER `questions_search_insert` AFTER INSERT ON `questions` BEGIN
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 1, 'question', NEW.id, NEW.letter_id, '', NEW.text);
END;--> statement-breakpoint
CREATE TRIGGER `questions_search_update` AFTER UPDATE OF text, letter_id ON `questions` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 1, 'question', NEW.id, NEW.letter_id, '', NEW.text);
END;--> statement-breakpoint
CREATE TRIGGER `questions_search_delete` AFTER DELETE ON `questions` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
END;--> statement-breakpoint
CREATE TRIGGER `responses_search_insert` AFTER INSERT ON `responses` BEGIN
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 2, 'response', NEW.id, NEW.letter_id, NEW.`from`, coalesce(NEW.summary, ''));
END;--> statement-breakpoint
CREATE TRIGGER `responses_search_delete` AFTER DELETE ON `responses` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;
END;--> statement-breakpoint
CREATE TRIGGER `letters_revision_insert` AFTER INSERT ON `letters` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `letters_revision_update` AFTER UPDATE ON `letters` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `letters_revision_delete` AFTER DELETE ON `letters` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `questions_revision_insert` AFTER INSERT ON `questions` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `questions_revision_update` AFTER UPDATE ON `questions` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `questions_revision_delete` AFTER DELETE ON `questions` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `responses_revision_insert` AFTER INSERT ON `responses` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `responses_revision_update` AFTER UPDATE ON `responses` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `responses_revision_delete` AFTER DELETE ON `responses` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `deadline_changes_revision_insert` AFTER INSERT ON `deadline_changes` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `deadline_changes_revision_update` AFTER UPDATE ON `deadline_changes` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `deadline_changes_revision_delete` AFTER DELETE ON `deadline_changes` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;--> statement-breakpoint
CREATE TRIGGER `responses_search_update` AFTER UPDATE OF `from`, summary ON `responses` BEGIN
	DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;
	INSERT INTO search_index (rowid, kind, item_id, letter_id, title, body)
	VALUES (NEW.id * 4 + 2, 'response', NEW.id, NEW.letter_id, NEW.`from`, coalesce(NEW.summary, ''));
END;
--> statement-breakpoint
-- Ids used before this migration may already be gone (a letter deleted under the previous release
-- left its id to the next letter, with its history): count from the highest id the history or the
-- tables have ever held.
DELETE FROM sqlite_sequence WHERE name IN ('letters', 'questions', 'responses', 'deadline_changes');
--> statement-breakpoint
INSERT INTO sqlite_sequence (name, seq) VALUES
	('letters', max(coalesce((SELECT max(id) FROM letters), 0), coalesce((SELECT max(letter_id) FROM audit_events), 0), coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'letter'), 0))),
	('questions', coalesce((SELECT max(id) FROM questions), 0)),
	('responses', max(coalesce((SELECT max(id) FROM responses), 0), coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'response'), 0))),
	('deadline_changes', max(coalesce((SELECT max(id) FROM deadline_changes), 0), coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'deadline_change'), 0)));
