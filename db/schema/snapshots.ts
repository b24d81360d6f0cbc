/**
 * Snapshots: an analysis frozen for publication (docs/decisions/027-snapshots.md).
 * `content` is the canonical JSON (RFC 8785) of everything the numbers came
 * from and the numbers themselves, kept as text so its bytes, and so its
 * SHA-256 in `hash`, never change. The database refuses to update or delete a
 * snapshot (triggers in the migrations); a lead withdraws one by adding a row
 * to `snapshot_withdrawals`, which leaves the snapshot readable as it was.
 */
import { users } from "./accounts.ts";
import { createdAt, index, integer, table, text, uniqueIndex } from "./columns.ts";
import { workspaces } from "./workspaces.ts";

export const snapshots = table(
  "snapshots",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    /** Counts 1, 2, … per workspace: the version a citation names. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    /** What was frozen: "comparison" or "cell" (also inside `content`; here for listing without parsing it). */
    scope: text("scope").notNull(),
    /** The canonical JSON, exactly as hashed. */
    content: text("content").notNull(),
    /** SHA-256 of `content` (UTF-8), lower-case hex. */
    hash: text("hash").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("snapshots_number_unique").on(t.workspaceId, t.number), index("snapshots_workspace_idx").on(t.workspaceId)],
);

export const snapshotWithdrawals = table("snapshot_withdrawals", {
  snapshotId: text("snapshot_id")
    .primaryKey()
    .references(() => snapshots.id),
  reason: text("reason").notNull(),
  withdrawnBy: text("withdrawn_by")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});

export type SnapshotRow = typeof snapshots.$inferSelect;
