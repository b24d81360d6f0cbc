CREATE TABLE `panel_biomarkers` (
	`id` text PRIMARY KEY NOT NULL,
	`panel_id` text NOT NULL,
	`position` integer NOT NULL,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`loinc` text,
	`specimen` text,
	`unit` text DEFAULT '' NOT NULL,
	`value_type` text DEFAULT 'numeric' NOT NULL,
	`plausible_min` real,
	`plausible_max` real,
	`cutoffs` text DEFAULT '[]' NOT NULL,
	`molar_mass` real,
	`unit_conventions` text DEFAULT '[]' NOT NULL,
	`aliases` text DEFAULT '[]' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`panel_id`) REFERENCES `panels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `panel_biomarkers_code_unique` ON `panel_biomarkers` (`panel_id`,`code`);--> statement-breakpoint
CREATE TABLE `panel_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`panel_id` text NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`note` text,
	`author_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`panel_id`) REFERENCES `panels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `panel_versions_unique` ON `panel_versions` (`panel_id`,`version`);--> statement-breakpoint
CREATE TABLE `panels` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `panels_workspace_idx` ON `panels` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `studies` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text NOT NULL,
	`design` text,
	`registry_id` text,
	`population` text DEFAULT '' NOT NULL,
	`protocol_id` text,
	`panel_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`panel_id`) REFERENCES `panels`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `studies_workspace_idx` ON `studies` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `study_arms` (
	`id` text PRIMARY KEY NOT NULL,
	`study_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`class` text DEFAULT 'other' NOT NULL,
	`dose` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `study_arms_study_idx` ON `study_arms` (`study_id`);--> statement-breakpoint
CREATE TABLE `study_outcomes` (
	`id` text PRIMARY KEY NOT NULL,
	`study_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'continuous' NOT NULL,
	`timepoint` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `study_outcomes_study_idx` ON `study_outcomes` (`study_id`);