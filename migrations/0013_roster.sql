-- The roster and the agency directory (db/reference/, `npm run roster:update`, app/models/roster.server.ts).
-- Columns are added, never a table rebuilt: existing rows, their triggers and the FTS tables stay.
-- drizzle-kit writes ADD COLUMN ... REFERENCES without the ON DELETE of db/schema.ts; it is added by hand.
-- After the generated statements: data_revision triggers for the new tables (as 0005), and the
-- picker index (0010) now also holds members' other names and agencies' aliases.
CREATE TABLE `agency_aliases` (
	`agency_id` integer NOT NULL,
	`key` text NOT NULL,
	`alias` text NOT NULL,
	PRIMARY KEY(`key`, `agency_id`),
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agency_aliases_agency_idx` ON `agency_aliases` (`agency_id`);--> statement-breakpoint
CREATE TABLE `committee_roles` (
	`committee_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`side` text NOT NULL,
	`rank` integer,
	`title` text,
	PRIMARY KEY(`committee_id`, `member_id`),
	FOREIGN KEY (`committee_id`) REFERENCES `committees`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "committee_roles_side_check" CHECK(side IN ('majority', 'minority'))
);
--> statement-breakpoint
CREATE INDEX `committee_roles_member_idx` ON `committee_roles` (`member_id`);--> statement-breakpoint
CREATE TABLE `member_names` (
	`member_id` integer NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`key`, `member_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_names_member_idx` ON `member_names` (`member_id`);--> statement-breakpoint
CREATE TABLE `member_terms` (
	`member_id` integer NOT NULL,
	`type` text NOT NULL,
	`state` text NOT NULL,
	`district` integer,
	`party` text NOT NULL,
	`start_on` text NOT NULL,
	`end_on` text NOT NULL,
	PRIMARY KEY(`member_id`, `start_on`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "member_terms_type_check" CHECK(type IN ('rep', 'sen')),
	CONSTRAINT "member_terms_start_on_check" CHECK(start_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "member_terms_end_on_check" CHECK(end_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);
--> statement-breakpoint
ALTER TABLE `agencies` ADD `parent_id` integer REFERENCES agencies(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `agencies` ADD `source` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `agencies` ADD `directory_slug` text;--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_directory_slug_unique` ON `agencies` (`directory_slug`);--> statement-breakpoint
CREATE INDEX `agencies_parent_idx` ON `agencies` (`parent_id`);--> statement-breakpoint
ALTER TABLE `committees` ADD `thomas_id` text;--> statement-breakpoint
ALTER TABLE `committees` ADD `parent_id` integer REFERENCES committees(id) ON DELETE set null;--> statement-breakpoint
CREATE UNIQUE INDEX `committees_thomas_unique` ON `committees` (`thomas_id`);--> statement-breakpoint
CREATE INDEX `committees_parent_idx` ON `committees` (`parent_id`);--> statement-breakpoint
ALTER TABLE `members` ADD `bioguide_id` text;--> statement-breakpoint
ALTER TABLE `members` ADD `first_name` text;--> statement-breakpoint
ALTER TABLE `members` ADD `last_name` text;--> statement-breakpoint
ALTER TABLE `members` ADD `official_name` text;--> statement-breakpoint
ALTER TABLE `members` ADD `district` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `members_bioguide_unique` ON `members` (`bioguide_id`);--> statement-breakpoint
CREATE INDEX `members_last_name_idx` ON `members` (`last_name`);--> statement-breakpoint
CREATE TRIGGER `member_names_revision_insert` AFTER INSERT ON `member_names` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_revision_update` AFTER UPDATE ON `member_names` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_revision_delete` AFTER DELETE ON `member_names` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_terms_revision_insert` AFTER INSERT ON `member_terms` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_terms_revision_update` AFTER UPDATE ON `member_terms` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `member_terms_revision_delete` AFTER DELETE ON `member_terms` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committee_roles_revision_insert` AFTER INSERT ON `committee_roles` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committee_roles_revision_update` AFTER UPDATE ON `committee_roles` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `committee_roles_revision_delete` AFTER DELETE ON `committee_roles` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_revision_insert` AFTER INSERT ON `agency_aliases` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_revision_update` AFTER UPDATE ON `agency_aliases` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_revision_delete` AFTER DELETE ON `agency_aliases` BEGIN
	UPDATE data_revision SET revision = revision + 1 WHERE id = 1;
END;
--> statement-breakpoint
DROP TRIGGER `members_picker_insert`;
--> statement-breakpoint
DROP TRIGGER `members_picker_update`;
--> statement-breakpoint
DROP TRIGGER `agencies_picker_insert`;
--> statement-breakpoint
DROP TRIGGER `agencies_picker_update`;
--> statement-breakpoint
-- A member's words: the label's name, party and state, the official name and every other name.
CREATE TRIGGER `members_picker_insert` AFTER INSERT ON `members` BEGIN
	DELETE FROM picker_index WHERE rowid = NEW.id * 8 + 3;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT m.id * 8 + 3, 'member', m.name || ' (' || m.party || '-' || m.state || ') ' || coalesce(m.official_name, '') || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM member_names n WHERE n.member_id = m.id), '') FROM members m WHERE m.id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `members_picker_update` AFTER UPDATE OF name, party, state, official_name ON `members` BEGIN
	DELETE FROM picker_index WHERE rowid = NEW.id * 8 + 3;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT m.id * 8 + 3, 'member', m.name || ' (' || m.party || '-' || m.state || ') ' || coalesce(m.official_name, '') || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM member_names n WHERE n.member_id = m.id), '') FROM members m WHERE m.id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_picker_insert` AFTER INSERT ON `member_names` BEGIN
	DELETE FROM picker_index WHERE rowid = NEW.member_id * 8 + 3;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT m.id * 8 + 3, 'member', m.name || ' (' || m.party || '-' || m.state || ') ' || coalesce(m.official_name, '') || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM member_names n WHERE n.member_id = m.id), '') FROM members m WHERE m.id = NEW.member_id;
END;
--> statement-breakpoint
CREATE TRIGGER `member_names_picker_delete` AFTER DELETE ON `member_names` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.member_id * 8 + 3;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT m.id * 8 + 3, 'member', m.name || ' (' || m.party || '-' || m.state || ') ' || coalesce(m.official_name, '') || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM member_names n WHERE n.member_id = m.id), '') FROM members m WHERE m.id = OLD.member_id;
END;
--> statement-breakpoint
-- An agency's words: name, acronym and aliases ("ICE", "Homeland Security").
CREATE TRIGGER `agencies_picker_insert` AFTER INSERT ON `agencies` BEGIN
	DELETE FROM picker_index WHERE rowid = NEW.id * 8 + 1;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT a.id * 8 + 1, 'agency', a.name || ' ' || coalesce(a.acronym, '') || ' ' || coalesce((SELECT group_concat(x.alias, ' ') FROM agency_aliases x WHERE x.agency_id = a.id), '') FROM agencies a WHERE a.id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `agencies_picker_update` AFTER UPDATE OF name, acronym ON `agencies` BEGIN
	DELETE FROM picker_index WHERE rowid = NEW.id * 8 + 1;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT a.id * 8 + 1, 'agency', a.name || ' ' || coalesce(a.acronym, '') || ' ' || coalesce((SELECT group_concat(x.alias, ' ') FROM agency_aliases x WHERE x.agency_id = a.id), '') FROM agencies a WHERE a.id = NEW.id;
	-- An official is found by its agency's name too.
	DELETE FROM picker_index WHERE rowid IN (SELECT id * 8 + 5 FROM officials WHERE agency_id = NEW.id);
	INSERT INTO picker_index (rowid, kind, words)
		SELECT id * 8 + 5, 'official', name || ' ' || title || ' ' || NEW.name FROM officials WHERE agency_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_picker_insert` AFTER INSERT ON `agency_aliases` BEGIN
	DELETE FROM picker_index WHERE rowid = NEW.agency_id * 8 + 1;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT a.id * 8 + 1, 'agency', a.name || ' ' || coalesce(a.acronym, '') || ' ' || coalesce((SELECT group_concat(x.alias, ' ') FROM agency_aliases x WHERE x.agency_id = a.id), '') FROM agencies a WHERE a.id = NEW.agency_id;
END;
--> statement-breakpoint
CREATE TRIGGER `agency_aliases_picker_delete` AFTER DELETE ON `agency_aliases` BEGIN
	DELETE FROM picker_index WHERE rowid = OLD.agency_id * 8 + 1;
	INSERT INTO picker_index (rowid, kind, words)
		SELECT a.id * 8 + 1, 'agency', a.name || ' ' || coalesce(a.acronym, '') || ' ' || coalesce((SELECT group_concat(x.alias, ' ') FROM agency_aliases x WHERE x.agency_id = a.id), '') FROM agencies a WHERE a.id = OLD.agency_id;
END;
