/**
 * Comments on anything in a workspace, down to a protocol section or a
 * dataset cell. A thread is a root comment and its replies. Deleting blanks
 * the text here; the audit trail keeps what it said.
 */
import { users } from "./accounts.ts";
import { createdAt, index, integer, json, primaryKey, table, text, timestamp } from "./columns.ts";
import { workspaces } from "./workspaces.ts";
import { COMMENT_TARGET_TYPES, type CommentAnchor } from "../../app/domain/comments.ts";

export const comments = table(
  "comments",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    targetType: text("target_type", { enum: COMMENT_TARGET_TYPES }).notNull(),
    targetId: text("target_id").notNull(),
    anchor: json("anchor").$type<CommentAnchor | null>(),
    /** The thread's root; null for a root comment. */
    parentId: text("parent_id"),
    body: text("body").notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    editedAt: timestamp("edited_at"),
    deletedAt: timestamp("deleted_at"),
    resolvedAt: timestamp("resolved_at"),
    resolvedBy: text("resolved_by").references(() => users.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("comments_target_idx").on(t.workspaceId, t.targetType, t.targetId), index("comments_parent_idx").on(t.parentId)],
);

/** Who a comment mentions, for their notifications. */
export const commentMentions = table(
  "comment_mentions",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] })],
);

export type Comment = typeof comments.$inferSelect;
