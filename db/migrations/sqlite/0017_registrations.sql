CREATE TABLE `registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`content` text NOT NULL,
	`hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_number_unique` ON `registrations` (`workspace_id`,`number`);--> statement-breakpoint
CREATE INDEX `registrations_workspace_idx` ON `registrations` (`workspace_id`);--> statement-breakpoint
-- A registration is cited by its hash and judged by its time: the database itself refuses to change or remove one.
CREATE TRIGGER `registrations_no_update` BEFORE UPDATE ON `registrations`
BEGIN
	SELECT RAISE(ABORT, 'registrations are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER `registrations_no_delete` BEFORE DELETE ON `registrations`
BEGIN
	SELECT RAISE(ABORT, 'registrations are immutable');
END;
