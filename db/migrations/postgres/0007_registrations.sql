CREATE TABLE "registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"content" text NOT NULL,
	"hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_number_unique" ON "registrations" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "registrations_workspace_idx" ON "registrations" USING btree ("workspace_id");--> statement-breakpoint
-- A registration is cited by its hash and judged by its time: the database itself refuses to change or remove one.
CREATE TRIGGER registrations_no_update BEFORE UPDATE ON registrations FOR EACH ROW EXECUTE FUNCTION refuse_change('registrations are immutable');
--> statement-breakpoint
CREATE TRIGGER registrations_no_delete BEFORE DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION refuse_change('registrations are immutable');
