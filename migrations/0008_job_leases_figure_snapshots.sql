CREATE TABLE `figure_snapshots` (
	`key` text PRIMARY KEY NOT NULL,
	`revision` integer NOT NULL,
	`day` text NOT NULL,
	`computed_at` integer NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
