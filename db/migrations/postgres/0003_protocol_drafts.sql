CREATE TABLE "protocol_draft_editors" (
	"protocol_id" text NOT NULL,
	"user_id" text NOT NULL,
	"first_edit_at" timestamp (3) with time zone NOT NULL,
	"last_edit_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "protocol_draft_editors_protocol_id_user_id_pk" PRIMARY KEY("protocol_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "protocol_draft_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"protocol_id" text NOT NULL,
	"update" "bytea" NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protocol_drafts" (
	"protocol_id" text PRIMARY KEY NOT NULL,
	"snapshot" "bytea" NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"base_version" integer NOT NULL,
	"base_state" "bytea" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "protocol_draft_editors" ADD CONSTRAINT "protocol_draft_editors_protocol_id_protocols_id_fk" FOREIGN KEY ("protocol_id") REFERENCES "public"."protocols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protocol_draft_editors" ADD CONSTRAINT "protocol_draft_editors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protocol_draft_updates" ADD CONSTRAINT "protocol_draft_updates_protocol_id_protocols_id_fk" FOREIGN KEY ("protocol_id") REFERENCES "public"."protocols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protocol_draft_updates" ADD CONSTRAINT "protocol_draft_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protocol_drafts" ADD CONSTRAINT "protocol_drafts_protocol_id_protocols_id_fk" FOREIGN KEY ("protocol_id") REFERENCES "public"."protocols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "protocol_draft_updates_protocol_idx" ON "protocol_draft_updates" USING btree ("protocol_id","id");