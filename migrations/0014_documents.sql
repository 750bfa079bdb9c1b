CREATE TABLE `document_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_sha256` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`stage` text,
	`page` integer DEFAULT 0 NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_by` integer,
	`holder` text,
	`lease_expires_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`document_sha256`) REFERENCES `documents`(`sha256`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "document_jobs_state_check" CHECK(state IN ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `document_jobs_state_idx` ON `document_jobs` (`state`,`lease_expires_at`);--> statement-breakpoint
CREATE INDEX `document_jobs_document_idx` ON `document_jobs` (`document_sha256`);--> statement-breakpoint
CREATE TABLE `document_pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_sha256` text NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`source` text DEFAULT 'text' NOT NULL,
	FOREIGN KEY (`document_sha256`) REFERENCES `documents`(`sha256`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "document_pages_number_check" CHECK(number >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_pages_document_number_unique` ON `document_pages` (`document_sha256`,`number`);--> statement-breakpoint
CREATE TABLE `documents` (
	`sha256` text PRIMARY KEY NOT NULL,
	`media_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`page_count` integer,
	`original_name` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "documents_sha256_check" CHECK(length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "documents_byte_size_check" CHECK(byte_size >= 0)
);
--> statement-breakpoint
CREATE TABLE `letter_documents` (
	`letter_id` integer NOT NULL,
	`document_sha256` text NOT NULL,
	`position` integer NOT NULL,
	`role` text DEFAULT 'letter' NOT NULL,
	PRIMARY KEY(`letter_id`, `document_sha256`),
	FOREIGN KEY (`letter_id`) REFERENCES `letters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_sha256`) REFERENCES `documents`(`sha256`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `letter_documents_document_idx` ON `letter_documents` (`document_sha256`);--> statement-breakpoint
CREATE TABLE `response_documents` (
	`response_id` integer NOT NULL,
	`document_sha256` text NOT NULL,
	`position` integer NOT NULL,
	`role` text DEFAULT 'reply' NOT NULL,
	PRIMARY KEY(`response_id`, `document_sha256`),
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_sha256`) REFERENCES `documents`(`sha256`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `response_documents_document_idx` ON `response_documents` (`document_sha256`);--> statement-breakpoint
-- Full-text search over documents' pages (the letters' and responses' PDFs). The rowid is the
-- page's id, so a trigger finds its row without scanning; a hit reaches its letters through
-- letter_documents and response_documents by key. Kept in step with every write by the triggers below.
CREATE VIRTUAL TABLE `document_pages_fts` USING fts5(
	`text`,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `document_pages_fts_insert` AFTER INSERT ON `document_pages` BEGIN
	INSERT INTO document_pages_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_fts_update` AFTER UPDATE OF text ON `document_pages` BEGIN
	DELETE FROM document_pages_fts WHERE rowid = OLD.id;
	INSERT INTO document_pages_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_fts_delete` AFTER DELETE ON `document_pages` BEGIN
	DELETE FROM document_pages_fts WHERE rowid = OLD.id;
END;
--> statement-breakpoint
-- A document attached to or removed from a letter or a response changes its pages and search
-- results: data_revision moves (see migration 0005).
CREATE TRIGGER `letter_documents_revision_insert` AFTER INSERT ON `letter_documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_revision_update` AFTER UPDATE ON `letter_documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_revision_delete` AFTER DELETE ON `letter_documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_revision_insert` AFTER INSERT ON `response_documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_revision_update` AFTER UPDATE ON `response_documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_revision_delete` AFTER DELETE ON `response_documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_revision_insert` AFTER INSERT ON `documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_revision_update` AFTER UPDATE ON `documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_revision_delete` AFTER DELETE ON `documents` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_revision_insert` AFTER INSERT ON `document_pages` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_revision_update` AFTER UPDATE ON `document_pages` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_revision_delete` AFTER DELETE ON `document_pages` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
