CREATE TABLE `dataset_rows` (
	`dataset_id` text NOT NULL,
	`row_index` integer NOT NULL,
	`participant_id` text,
	`arm` text,
	`values` text NOT NULL,
	PRIMARY KEY(`dataset_id`, `row_index`),
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `dataset_sources` (
	`dataset_id` text PRIMARY KEY NOT NULL,
	`content` blob NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`study_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`version` integer NOT NULL,
	`row_count` integer NOT NULL,
	`columns` text NOT NULL,
	`warnings` text NOT NULL,
	`summary` text NOT NULL,
	`source_file_name` text NOT NULL,
	`source_format` text NOT NULL,
	`source_bytes` integer NOT NULL,
	`source_sha256` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `datasets_version_unique` ON `datasets` (`study_id`,`name`,`version`);--> statement-breakpoint
CREATE INDEX `datasets_workspace_idx` ON `datasets` (`workspace_id`);