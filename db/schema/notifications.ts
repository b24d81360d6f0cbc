/**
 * In-app notifications: per user, not workspace events (they change nothing,
 * so they are not in the audit trail). `dedupeKey` makes sending idempotent:
 * the same reminder sent twice, or after a restart, is stored once.
 */
import { users } from "./accounts.ts";
import { createdAt, index, table, text, timestamp, uniqueIndex } from "./columns.ts";
import { workspaces } from "./workspaces.ts";

export const notifications = table(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    /** What it is about, e.g. "goal.due_soon", "goal.overdue". */
    kind: text("kind").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    createdAt: createdAt(),
    readAt: timestamp("read_at"),
    dedupeKey: text("dedupe_key").notNull(),
    /** Who caused it (a mention's or reply's author); null for reminders. Emails name them. */
    // No foreign key: SQLite cannot add one to an existing table with ON DELETE, and a name is looked up when emailing.
    actorId: text("actor_id"),
    /** The email that carried it, once queued: it is emailed at most once (docs/decisions/022-email-outbox.md). */
    emailOutboxId: text("email_outbox_id"),
  },
  (t) => [
    uniqueIndex("notifications_dedupe_unique").on(t.dedupeKey),
    index("notifications_user_idx").on(t.userId, t.createdAt),
    index("notifications_created_idx").on(t.createdAt),
  ],
);

export type Notification = typeof notifications.$inferSelect;
