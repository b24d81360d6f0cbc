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
  },
  (t) => [uniqueIndex("notifications_dedupe_unique").on(t.dedupeKey), index("notifications_user_idx").on(t.userId, t.createdAt)],
);

export type Notification = typeof notifications.$inferSelect;
