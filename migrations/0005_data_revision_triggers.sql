-- Every change to the tracker's data moves data_revision (see db/schema.ts): cached figures are kept
-- until it does. One row; a trigger per table and kind of write, in the writer's transaction.
INSERT OR IGNORE INTO `data_revision` (`id`, `revision`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `members_revision_insert` AFTER INSERT ON `members` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_revision_update` AFTER UPDATE ON `members` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `members_revision_delete` AFTER DELETE ON `members` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_revision_insert` AFTER INSERT ON `committees` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_revision_update` AFTER UPDATE ON `committees` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committees_revision_delete` AFTER DELETE ON `committees` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_revision_insert` AFTER INSERT ON `agencies` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_revision_update` AFTER UPDATE ON `agencies` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_revision_delete` AFTER DELETE ON `agencies` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_revision_insert` AFTER INSERT ON `officials` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_revision_update` AFTER UPDATE ON `officials` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `officials_revision_delete` AFTER DELETE ON `officials` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_revision_insert` AFTER INSERT ON `letters` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_revision_update` AFTER UPDATE ON `letters` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letters_revision_delete` AFTER DELETE ON `letters` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_revision_insert` AFTER INSERT ON `letter_senders` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_revision_update` AFTER UPDATE ON `letter_senders` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_senders_revision_delete` AFTER DELETE ON `letter_senders` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_revision_insert` AFTER INSERT ON `letter_recipients` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_revision_update` AFTER UPDATE ON `letter_recipients` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_recipients_revision_delete` AFTER DELETE ON `letter_recipients` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_revision_insert` AFTER INSERT ON `questions` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_revision_update` AFTER UPDATE ON `questions` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_revision_delete` AFTER DELETE ON `questions` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_revision_insert` AFTER INSERT ON `responses` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_revision_update` AFTER UPDATE ON `responses` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `responses_revision_delete` AFTER DELETE ON `responses` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `question_assessments_revision_insert` AFTER INSERT ON `question_assessments` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `question_assessments_revision_update` AFTER UPDATE ON `question_assessments` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `question_assessments_revision_delete` AFTER DELETE ON `question_assessments` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deadline_changes_revision_insert` AFTER INSERT ON `deadline_changes` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deadline_changes_revision_update` AFTER UPDATE ON `deadline_changes` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deadline_changes_revision_delete` AFTER DELETE ON `deadline_changes` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_revision_insert` AFTER INSERT ON `tags` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_revision_update` AFTER UPDATE ON `tags` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tags_revision_delete` AFTER DELETE ON `tags` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_revision_insert` AFTER INSERT ON `letter_tags` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_revision_update` AFTER UPDATE ON `letter_tags` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `letter_tags_revision_delete` AFTER DELETE ON `letter_tags` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
