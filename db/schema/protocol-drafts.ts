/**
 * A protocol's live draft: the Yjs document members edit together
 * (docs/decisions/024-live-protocol-documents.md). Its state is a snapshot
 * plus the updates appended since; compaction folds the updates into the
 * snapshot now and then. Versions are still cut from it into
 * protocol_versions, immutable as before.
 */
import { users } from "./accounts.ts";
import { bytes, createdAt, index, integer, primaryKey, serialId, table, text, timestamp } from "./columns.ts";
import { protocols } from "./protocols.ts";

export const protocolDrafts = table("protocol_drafts", {
  protocolId: text("protocol_id")
    .primaryKey()
    .references(() => protocols.id, { onDelete: "cascade" }),
  /** Yjs state (an encoded update) holding every update folded in so far. */
  snapshot: bytes("snapshot").notNull(),
  /** Counts compactions: a compaction writes only over the snapshot it read. */
  revision: integer("revision").notNull().default(0),
  /** The newest version: the one the draft started from or was last cut into. */
  baseVersion: integer("base_version").notNull(),
  /**
   * The Yjs state the base version was cut from. A script's save based on that version is applied to a copy
   * of this state, so it merges with what others typed since instead of overwriting it.
   */
  baseState: bytes("base_state").notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at").notNull(),
});

export const protocolDraftUpdates = table(
  "protocol_draft_updates",
  {
    id: serialId("id"),
    protocolId: text("protocol_id")
      .notNull()
      .references(() => protocols.id, { onDelete: "cascade" }),
    /** One Yjs update exactly as a client sent it (or as the server derived it from an API save). */
    update: bytes("update").notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("protocol_draft_updates_protocol_idx").on(t.protocolId, t.id)],
);

/** Who has edited the draft since its base version, and when last: "draft since version 3, edited by …". */
export const protocolDraftEditors = table(
  "protocol_draft_editors",
  {
    protocolId: text("protocol_id")
      .notNull()
      .references(() => protocols.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    firstEditAt: timestamp("first_edit_at").notNull(),
    lastEditAt: timestamp("last_edit_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.protocolId, t.userId] })],
);

export type ProtocolDraft = typeof protocolDrafts.$inferSelect;
