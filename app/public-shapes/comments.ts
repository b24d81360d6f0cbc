/**
 * Comments are built in their public shape by the service (their names and
 * rendered body need the database), so the view is the shape itself.
 */
import type { z } from "zod";
import type { CommentView } from "#app/domain/comments.ts";
import type { CommentJson, CommentListJson } from "#app/schemas/comments.ts";

export const commentJson = (c: CommentView): z.output<typeof CommentJson> => c;

export const commentListJson = (items: CommentView[]): z.output<typeof CommentListJson> => ({
  items: items.map(commentJson),
  nextCursor: null,
});
