CREATE TABLE `data_revision` (
	`id` integer PRIMARY KEY NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "data_revision_one_row" CHECK("data_revision"."id" = 1)
);
