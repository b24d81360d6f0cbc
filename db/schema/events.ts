import { users } from "./accounts.ts";
import { createdAt, index, json, serialId, table, text } from "./columns.ts";
import { workspaces } from "./workspaces.ts";

/**
 * The audit trail and the live feed at once. Append-only: a trigger in the
 * migrations refuses UPDATE and DELETE. `workspaceId` is null for
 * account-level events (sign-up, password change, tokens).
 */
export const events = table(
  "events",
  {
    id: serialId("id"),
    workspaceId: text("workspace_id").references(() => workspaces.id),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    type: text("type").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    payload: json("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_workspace_idx").on(t.workspaceId, t.id),
    index("events_workspace_type_idx").on(t.workspaceId, t.type, t.id),
    index("events_actor_idx").on(t.actorId, t.id),
  ],
);

export type EventRow = typeof events.$inferSelect;
