/**
 * Protocols: markdown documents where every save is a new, immutable version
 * (a trigger in the migrations refuses to change a stored version).
 */
import { PROTOCOL_STATUSES } from "../../app/domain/protocol-status.ts";
import { users } from "./accounts.ts";
import { createdAt, index, integer, table, text, timestamp, uniqueIndex } from "./columns.ts";
import { workspaces } from "./workspaces.ts";

export const protocols = table(
  "protocols",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    status: text("status", { enum: PROTOCOL_STATUSES }).notNull().default("draft"),
    /** The newest version's number; an edit must be based on it. */
    version: integer("version").notNull().default(1),
    /** The version a lead approved last (kept after a new draft version, so the approval stays visible). */
    approvedVersion: integer("approved_version"),
    approvedBy: text("approved_by").references(() => users.id),
    approvedAt: timestamp("approved_at"),
    /**
     * Where a fork came from. Plain ids, no foreign keys: the origin lives in
     * another workspace, which may be deleted or closed to this one's members.
     */
    forkedFromProtocolId: text("forked_from_protocol_id"),
    forkedFromWorkspaceId: text("forked_from_workspace_id"),
    forkedFromVersion: integer("forked_from_version"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("protocols_workspace_idx").on(t.workspaceId, t.title)],
);

export const protocolVersions = table(
  "protocol_versions",
  {
    id: text("id").primaryKey(),
    protocolId: text("protocol_id")
      .notNull()
      .references(() => protocols.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Markdown, exactly as written. */
    body: text("body").notNull(),
    note: text("note"),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("protocol_versions_unique").on(t.protocolId, t.version)],
);

export type Protocol = typeof protocols.$inferSelect;
export type ProtocolVersion = typeof protocolVersions.$inferSelect;
