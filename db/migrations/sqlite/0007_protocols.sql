CREATE TABLE `protocol_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`protocol_id` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`note` text,
	`author_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`protocol_id`) REFERENCES `protocols`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `protocol_versions_unique` ON `protocol_versions` (`protocol_id`,`version`);--> statement-breakpoint
CREATE TABLE `protocols` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`approved_version` integer,
	`approved_by` text,
	`approved_at` integer,
	`forked_from_protocol_id` text,
	`forked_from_workspace_id` text,
	`forked_from_version` integer,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `protocols_workspace_idx` ON `protocols` (`workspace_id`,`title`);--> statement-breakpoint
-- A saved version is never changed: a new text is a new version, and earlier
-- texts stay as they were written (21 CFR 11.10(e)).
CREATE TRIGGER `protocol_versions_no_update` BEFORE UPDATE ON `protocol_versions`
BEGIN
	SELECT RAISE(ABORT, 'protocol versions are immutable');
END;
