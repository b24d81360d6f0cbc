CREATE TABLE `protocol_draft_editors` (
	`protocol_id` text NOT NULL,
	`user_id` text NOT NULL,
	`first_edit_at` integer NOT NULL,
	`last_edit_at` integer NOT NULL,
	PRIMARY KEY(`protocol_id`, `user_id`),
	FOREIGN KEY (`protocol_id`) REFERENCES `protocols`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `protocol_draft_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`protocol_id` text NOT NULL,
	`update` blob NOT NULL,
	`author_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`protocol_id`) REFERENCES `protocols`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `protocol_draft_updates_protocol_idx` ON `protocol_draft_updates` (`protocol_id`,`id`);--> statement-breakpoint
CREATE TABLE `protocol_drafts` (
	`protocol_id` text PRIMARY KEY NOT NULL,
	`snapshot` blob NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`base_version` integer NOT NULL,
	`base_state` blob NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`protocol_id`) REFERENCES `protocols`(`id`) ON UPDATE no action ON DELETE cascade
);
