PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_follows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_key` text NOT NULL,
	`subject_label` text NOT NULL,
	`cadence` text DEFAULT 'immediate' NOT NULL,
	`digest_hour` integer DEFAULT 8 NOT NULL,
	`digest_weekday` integer DEFAULT 1 NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`confirmed_at` integer,
	`unsubscribed_at` integer,
	`last_digest_at` integer,
	CONSTRAINT "follows_subject_kind_check" CHECK(subject_kind IN ('letter', 'agency', 'member', 'committee', 'topic', 'search')),
	CONSTRAINT "follows_cadence_check" CHECK(cadence IN ('immediate', 'daily', 'weekly')),
	CONSTRAINT "follows_digest_hour_check" CHECK(digest_hour BETWEEN 0 AND 23),
	CONSTRAINT "follows_digest_weekday_check" CHECK(digest_weekday BETWEEN 0 AND 6)
);
--> statement-breakpoint
-- Hand edit: the old table has no digest_weekday; every follow keeps its row and gets Monday (1), the day weekly digests were written on before.
INSERT INTO `__new_follows`("id", "email", "subject_kind", "subject_key", "subject_label", "cadence", "digest_hour", "digest_weekday", "secret", "created_at", "confirmed_at", "unsubscribed_at", "last_digest_at") SELECT "id", "email", "subject_kind", "subject_key", "subject_label", "cadence", "digest_hour", 1, "secret", "created_at", "confirmed_at", "unsubscribed_at", "last_digest_at" FROM `follows`;--> statement-breakpoint
-- Hand edit: ids are never reused (decision 0006): the new table takes the old one's AUTOINCREMENT sequence before the old one (and its sequence row) is dropped.
INSERT INTO sqlite_sequence (name, seq) SELECT '__new_follows', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '__new_follows');--> statement-breakpoint
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'follows'), 0)) WHERE name = '__new_follows';--> statement-breakpoint
DROP TABLE `follows`;--> statement-breakpoint
ALTER TABLE `__new_follows` RENAME TO `follows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `follows_subscription_unique` ON `follows` (`email`,`subject_kind`,`subject_key`);--> statement-breakpoint
CREATE INDEX `follows_subject_idx` ON `follows` (`subject_kind`,`subject_key`);