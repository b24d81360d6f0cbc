-- The workspace search index: derived data, rebuilt from the other tables when empty
-- (docs/decisions/023-search.md). One row per searchable thing in `search_entries`;
-- its words in the FTS5 table `search_fts`, whose rowid is the entry's id.
-- `source_type`/`source_id` name the thing whose re-indexing replaces the entry
-- (a panel's biomarkers are replaced together, a study's datasets with it).
CREATE TABLE `search_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`source_type` text NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`item_id` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_entries_source_idx` ON `search_entries` (`source_type`, `source_id`);
--> statement-breakpoint
CREATE INDEX `search_entries_workspace_idx` ON `search_entries` (`workspace_id`, `kind`);
--> statement-breakpoint
-- The indexed text is already normalised in TypeScript (app/domain/search-text.ts), the same
-- as on PostgreSQL; remove_diacritics keeps accents harmless even if it was not.
CREATE VIRTUAL TABLE `search_fts` USING fts5(title, body, tokenize = "unicode61 remove_diacritics 2");
