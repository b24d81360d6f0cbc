/**
 * The copy of a new comment drawn before the server has it. Its text is shown
 * as plain text (escaped, paragraphs kept); the server's rendering of the
 * markdown replaces it a moment later with the saved comment.
 */
import type { CommentView } from "#app/domain/comments.ts";
import { escapeHtml } from "#app/domain/html-text.ts";

/** A comment as shown: `sending` while only this browser has it. */
export type ShownComment = CommentView & { sending?: true };

type Draft = Pick<CommentView, "id" | "workspaceId" | "target" | "parentId" | "body" | "author">;

export function pendingComment(draft: Draft, now = new Date()): ShownComment {
  const paragraphs = draft.body
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`);
  return {
    ...draft,
    bodyHtml: paragraphs.join(""),
    createdAt: now.toISOString(),
    editedAt: null,
    deleted: false,
    resolvedAt: null,
    resolvedBy: null,
    version: 0,
    sending: true,
  };
}
