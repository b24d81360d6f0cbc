CREATE TABLE "site_summaries" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"study_id" text NOT NULL,
	"site" text NOT NULL,
	"version" integer NOT NULL,
	"content" json NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_summaries" ADD CONSTRAINT "site_summaries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_summaries" ADD CONSTRAINT "site_summaries_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_summaries" ADD CONSTRAINT "site_summaries_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "site_summaries_version_unique" ON "site_summaries" USING btree ("study_id","site","version");--> statement-breakpoint
CREATE INDEX "site_summaries_workspace_idx" ON "site_summaries" USING btree ("workspace_id");