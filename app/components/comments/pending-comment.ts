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

/**
 * Puts a saved comment into the list shown. The saved comment can reach this
 * browser twice, from the live event and from the POST answer, in either
 * order: whichever comes first takes the place of the sending copy it stands
 * for (`replacing`, or else the oldest sending copy by the same author with
 * the same text and parent), so the author never sees their comment twice.
 */
export function placeSaved(list: ShownComment[], saved: CommentView, replacing?: string): ShownComment[] {
  const standIn =
    replacing ??
    list.find((c) => c.sending && c.author.id === saved.author.id && c.body === saved.body && c.parentId === saved.parentId)?.id;
  const rest = standIn ? list.filter((c) => c.id !== standIn) : list;
  const index = rest.findIndex((c) => c.id === saved.id);
  if (index === -1) {
    // Take the place the sending copy had, so the thread does not jump.
    const at = list.findIndex((c) => c.id === standIn);
    return at === -1 ? [...rest, saved] : [...rest.slice(0, at), saved, ...rest.slice(at)];
  }
  if (rest[index].version > saved.version) return rest;
  const next = rest.slice();
  next[index] = saved;
  return next;
}
