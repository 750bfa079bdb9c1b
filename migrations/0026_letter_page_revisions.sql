CREATE TABLE `letter_page_revisions` (
	`letter_id` integer PRIMARY KEY NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `data_revision` ADD `letter_pages_revision` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- A letter's page shows the letter's own rows (counted per letter in letter_page_revisions) and a
-- few things of other rows (moving data_revision.letter_pages_revision): names of people, agencies,
-- committees and topics; the titles, addresses and dates of the letters in its follow-up chain and
-- of the letters its questions repeat or are repeated in; documents. A kept page of a letter is
-- valid while both counts and the day hold (decision 0029).
CREATE TRIGGER `letters_page_insert` AFTER INSERT ON `letters` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_page_delete` AFTER DELETE ON `letters` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.id, 1 WHERE OLD.id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_page_update` AFTER UPDATE ON `letters` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.id, 1 WHERE NEW.id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_pages_update` AFTER UPDATE OF slug, title, sent_on, follows_up_id ON `letters` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_page_insert` AFTER INSERT ON `letter_senders` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_page_update` AFTER UPDATE ON `letter_senders` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_page_delete` AFTER DELETE ON `letter_senders` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_page_insert` AFTER INSERT ON `letter_recipients` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_page_update` AFTER UPDATE ON `letter_recipients` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_page_delete` AFTER DELETE ON `letter_recipients` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_page_insert` AFTER INSERT ON `letter_tags` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_page_update` AFTER UPDATE ON `letter_tags` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_page_delete` AFTER DELETE ON `letter_tags` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deadline_changes_page_insert` AFTER INSERT ON `deadline_changes` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deadline_changes_page_update` AFTER UPDATE ON `deadline_changes` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deadline_changes_page_delete` AFTER DELETE ON `deadline_changes` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_page_insert` AFTER INSERT ON `letter_documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_page_update` AFTER UPDATE ON `letter_documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_documents_page_delete` AFTER DELETE ON `letter_documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_former_slugs_page_insert` AFTER INSERT ON `letter_former_slugs` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_former_slugs_page_update` AFTER UPDATE ON `letter_former_slugs` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_former_slugs_page_delete` AFTER DELETE ON `letter_former_slugs` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_page_insert` AFTER INSERT ON `responses` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_page_update` AFTER UPDATE ON `responses` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_page_delete` AFTER DELETE ON `responses` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_page_insert` AFTER INSERT ON `questions` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_page_update` AFTER UPDATE ON `questions` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_page_delete` AFTER DELETE ON `questions` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT OLD.letter_id, 1 WHERE OLD.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_pages_insert` AFTER INSERT ON `questions` WHEN NEW.repeats_question_id IS NOT NULL BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_pages_delete` AFTER DELETE ON `questions` WHEN OLD.repeats_question_id IS NOT NULL OR OLD.repeated_on IS NOT NULL BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_pages_update` AFTER UPDATE OF number, letter_id, repeats_question_id ON `questions` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `question_assessments_page_insert` AFTER INSERT ON `question_assessments` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = NEW.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `question_assessments_page_update` AFTER UPDATE ON `question_assessments` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = NEW.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = OLD.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `question_assessments_page_delete` AFTER DELETE ON `question_assessments` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = OLD.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_page_insert` AFTER INSERT ON `response_documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = NEW.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_page_update` AFTER UPDATE ON `response_documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = NEW.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = OLD.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `response_documents_page_delete` AFTER DELETE ON `response_documents` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT letter_id, 1 FROM responses WHERE id = OLD.response_id
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_page_insert` AFTER INSERT ON `audit_events` BEGIN
	INSERT INTO letter_page_revisions (letter_id, revision) SELECT NEW.letter_id, 1 WHERE NEW.letter_id IS NOT NULL
		ON CONFLICT(letter_id) DO UPDATE SET revision = revision + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_pages_insert` AFTER INSERT ON `members` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_pages_update` AFTER UPDATE ON `members` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_pages_delete` AFTER DELETE ON `members` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_pages_insert` AFTER INSERT ON `member_names` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_pages_update` AFTER UPDATE ON `member_names` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_pages_delete` AFTER DELETE ON `member_names` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_terms_pages_insert` AFTER INSERT ON `member_terms` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_terms_pages_update` AFTER UPDATE ON `member_terms` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_terms_pages_delete` AFTER DELETE ON `member_terms` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_pages_insert` AFTER INSERT ON `committees` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_pages_update` AFTER UPDATE ON `committees` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_pages_delete` AFTER DELETE ON `committees` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committee_roles_pages_insert` AFTER INSERT ON `committee_roles` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committee_roles_pages_update` AFTER UPDATE ON `committee_roles` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committee_roles_pages_delete` AFTER DELETE ON `committee_roles` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_pages_insert` AFTER INSERT ON `agencies` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_pages_update` AFTER UPDATE ON `agencies` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_pages_delete` AFTER DELETE ON `agencies` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_pages_insert` AFTER INSERT ON `agency_aliases` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_pages_update` AFTER UPDATE ON `agency_aliases` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_pages_delete` AFTER DELETE ON `agency_aliases` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_pages_insert` AFTER INSERT ON `officials` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_pages_update` AFTER UPDATE ON `officials` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_pages_delete` AFTER DELETE ON `officials` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_pages_insert` AFTER INSERT ON `tags` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_pages_update` AFTER UPDATE ON `tags` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_pages_delete` AFTER DELETE ON `tags` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_pages_insert` AFTER INSERT ON `documents` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_pages_update` AFTER UPDATE ON `documents` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_pages_delete` AFTER DELETE ON `documents` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_pages_insert` AFTER INSERT ON `document_pages` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_pages_update` AFTER UPDATE ON `document_pages` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `document_pages_pages_delete` AFTER DELETE ON `document_pages` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_settings_pages_insert` AFTER INSERT ON `state_settings` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_settings_pages_update` AFTER UPDATE ON `state_settings` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_settings_pages_delete` AFTER DELETE ON `state_settings` BEGIN
	UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1;
END;
