-- A document is shown on the pages of the letters it is attached to (letter_documents, or
-- response_documents through their response), and only there: a write to it moves those letters'
-- own revisions instead of every letter page's (letter_pages_revision, migration 0026). An upload no
-- letter shows yet moves none; its extracted pages (document_pages: searched, never shown on a
-- letter page, whose count is documents.page_count) move none (decision 0029).
DROP TRIGGER `documents_pages_insert`;
--> statement-breakpoint
DROP TRIGGER `documents_pages_update`;
--> statement-breakpoint
DROP TRIGGER `documents_pages_delete`;
--> statement-breakpoint
DROP TRIGGER `document_pages_pages_insert`;
--> statement-breakpoint
DROP TRIGGER `document_pages_pages_update`;
--> statement-breakpoint
DROP TRIGGER `document_pages_pages_delete`;
--> statement-breakpoint
CREATE TRIGGER `documents_page_insert` AFTER INSERT ON `documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision)
		SELECT letter_id, 1 FROM letter_documents WHERE document_sha256 = NEW.sha256
		UNION SELECT r.letter_id, 1 FROM response_documents d JOIN responses r ON r.id = d.response_id WHERE d.document_sha256 = NEW.sha256
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_page_update` AFTER UPDATE ON `documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision)
		SELECT letter_id, 1 FROM letter_documents WHERE document_sha256 IN (OLD.sha256, NEW.sha256)
		UNION SELECT r.letter_id, 1 FROM response_documents d JOIN responses r ON r.id = d.response_id WHERE d.document_sha256 IN (OLD.sha256, NEW.sha256)
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_page_delete` AFTER DELETE ON `documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision)
		SELECT letter_id, 1 FROM letter_documents WHERE document_sha256 = OLD.sha256
		UNION SELECT r.letter_id, 1 FROM response_documents d JOIN responses r ON r.id = d.response_id WHERE d.document_sha256 = OLD.sha256
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
