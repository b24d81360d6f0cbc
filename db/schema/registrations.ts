/**
 * Pre-registrations (docs/decisions/031-pre-registration.md): a protocol
 * version, chosen profiles with their criteria, and analysis options, frozen
 * before results are in. Kept like snapshots: `content` is the canonical JSON
 * (RFC 8785) exactly as hashed, `hash` its SHA-256, and the database refuses
 * to update or delete a row (triggers in the migrations).
 */
import { users } from "./accounts.ts";
import { createdAt, index, integer, table, text, uniqueIndex } from "./columns.ts";
import { workspaces } from "./workspaces.ts";

export const registrations = table(
  "registrations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    /** Counts 1, 2, … per workspace. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    /** The canonical JSON, exactly as hashed. */
    content: text("content").notNull(),
    /** SHA-256 of `content` (UTF-8), lower-case hex. */
    hash: text("hash").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    /** The moment "before results are in" is judged against (decision 031). */
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("registrations_number_unique").on(t.workspaceId, t.number), index("registrations_workspace_idx").on(t.workspaceId)],
);

export type RegistrationRow = typeof registrations.$inferSelect;
