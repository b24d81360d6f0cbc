CREATE TABLE `snapshot_withdrawals` (
	`snapshot_id` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`withdrawn_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`snapshot_id`) REFERENCES `snapshots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`scope` text NOT NULL,
	`content` text NOT NULL,
	`hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `snapshots_number_unique` ON `snapshots` (`workspace_id`,`number`);--> statement-breakpoint
CREATE INDEX `snapshots_workspace_idx` ON `snapshots` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `orcid` text;--> statement-breakpoint
-- A snapshot is cited by its hash: the database itself refuses to change or remove one, or its withdrawal.
CREATE TRIGGER `snapshots_no_update` BEFORE UPDATE ON `snapshots`
BEGIN
	SELECT RAISE(ABORT, 'snapshots are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER `snapshots_no_delete` BEFORE DELETE ON `snapshots`
BEGIN
	SELECT RAISE(ABORT, 'snapshots are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER `snapshot_withdrawals_no_update` BEFORE UPDATE ON `snapshot_withdrawals`
BEGIN
	SELECT RAISE(ABORT, 'snapshot withdrawals are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER `snapshot_withdrawals_no_delete` BEFORE DELETE ON `snapshot_withdrawals`
BEGIN
	SELECT RAISE(ABORT, 'snapshot withdrawals are immutable');
END;
