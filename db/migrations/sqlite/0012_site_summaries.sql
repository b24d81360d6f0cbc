CREATE TABLE `site_summaries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`study_id` text NOT NULL,
	`site` text NOT NULL,
	`version` integer NOT NULL,
	`content` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_summaries_version_unique` ON `site_summaries` (`study_id`,`site`,`version`);--> statement-breakpoint
CREATE INDEX `site_summaries_workspace_idx` ON `site_summaries` (`workspace_id`);