-- The workspace search index: derived data, rebuilt from the other tables when empty
-- (docs/decisions/023-search.md). `document` holds the normalised words
-- (app/domain/search-text.ts): the title weighted A, the rest D.
CREATE TABLE "search_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"kind" text NOT NULL,
	"item_id" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text NOT NULL,
	"document" tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_entries_source_idx" ON "search_entries" ("source_type", "source_id");
--> statement-breakpoint
CREATE INDEX "search_entries_workspace_idx" ON "search_entries" ("workspace_id", "kind");
--> statement-breakpoint
CREATE INDEX "search_entries_document_idx" ON "search_entries" USING gin ("document");
