CREATE TABLE "snapshot_withdrawals" (
	"snapshot_id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"withdrawn_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"scope" text NOT NULL,
	"content" text NOT NULL,
	"hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "orcid" text;--> statement-breakpoint
ALTER TABLE "snapshot_withdrawals" ADD CONSTRAINT "snapshot_withdrawals_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_withdrawals" ADD CONSTRAINT "snapshot_withdrawals_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "snapshots_number_unique" ON "snapshots" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "snapshots_workspace_idx" ON "snapshots" USING btree ("workspace_id");--> statement-breakpoint
-- A snapshot is cited by its hash: the database itself refuses to change or remove one, or its withdrawal.
CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots FOR EACH ROW EXECUTE FUNCTION refuse_change('snapshots are immutable');
--> statement-breakpoint
CREATE TRIGGER snapshots_no_delete BEFORE DELETE ON snapshots FOR EACH ROW EXECUTE FUNCTION refuse_change('snapshots are immutable');
--> statement-breakpoint
CREATE TRIGGER snapshot_withdrawals_no_update BEFORE UPDATE ON snapshot_withdrawals FOR EACH ROW EXECUTE FUNCTION refuse_change('snapshot withdrawals are immutable');
--> statement-breakpoint
CREATE TRIGGER snapshot_withdrawals_no_delete BEFORE DELETE ON snapshot_withdrawals FOR EACH ROW EXECUTE FUNCTION refuse_change('snapshot withdrawals are immutable');
