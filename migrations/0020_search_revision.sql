ALTER TABLE `data_revision` ADD `search_revision` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- search_revision moves with every write to what search finds and shows from the index (issue 11):
-- letters', questions' and responses' text and dates, senders, recipients, tags, renames, documents.
-- Search results are kept until it moves (app/models/search.server.ts); an extension or a closing does not.
CREATE TRIGGER `letters_search_revision_insert` AFTER INSERT ON `letters` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_search_revision_delete` AFTER DELETE ON `letters` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_search_revision_update` AFTER UPDATE OF title, summary, committee_id, slug, sent_on ON `letters` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_search_revision_insert` AFTER INSERT ON `questions` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_search_revision_delete` AFTER DELETE ON `questions` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_search_revision_update` AFTER UPDATE OF text, letter_id, number ON `questions` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_search_revision_insert` AFTER INSERT ON `responses` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_search_revision_delete` AFTER DELETE ON `responses` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_search_revision_update` AFTER UPDATE OF `from`, summary, received_on, received_precision, letter_id ON `responses` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_search_revision_insert` AFTER INSERT ON `letter_senders` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_search_revision_delete` AFTER DELETE ON `letter_senders` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_search_revision_update` AFTER UPDATE ON `letter_senders` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_search_revision_insert` AFTER INSERT ON `letter_recipients` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_search_revision_delete` AFTER DELETE ON `letter_recipients` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_search_revision_update` AFTER UPDATE ON `letter_recipients` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_search_revision_insert` AFTER INSERT ON `letter_tags` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_search_revision_delete` AFTER DELETE ON `letter_tags` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_search_revision_update` AFTER UPDATE ON `letter_tags` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_search_revision_update` AFTER UPDATE OF name ON `members` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_search_revision_update` AFTER UPDATE OF name ON `officials` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_search_revision_update` AFTER UPDATE OF name, acronym ON `agencies` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_search_revision_update` AFTER UPDATE OF name ON `committees` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_search_revision_update` AFTER UPDATE OF name ON `tags` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_search_revision_insert` AFTER INSERT ON `documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_search_revision_delete` AFTER DELETE ON `documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_search_revision_update` AFTER UPDATE ON `documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_search_revision_insert` AFTER INSERT ON `document_pages` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_search_revision_delete` AFTER DELETE ON `document_pages` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_search_revision_update` AFTER UPDATE ON `document_pages` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_search_revision_insert` AFTER INSERT ON `letter_documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_search_revision_delete` AFTER DELETE ON `letter_documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_search_revision_update` AFTER UPDATE ON `letter_documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_search_revision_insert` AFTER INSERT ON `response_documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_search_revision_delete` AFTER DELETE ON `response_documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_search_revision_update` AFTER UPDATE ON `response_documents` BEGIN
	UPDATE data_revision SET search_revision = search_revision + 1 WHERE id = 1;
END;
