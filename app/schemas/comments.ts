/** Input rules for comments. */
import { z } from "zod";
import { COMMENT_TARGET_TYPES } from "#app/domain/comments.ts";

export const MAX_COMMENT_LENGTH = 10_000;

const body = z
  .string({ error: "Write a comment." })
  .trim()
  .min(1, "Write a comment.")
  .max(MAX_COMMENT_LENGTH, `A comment has at most ${MAX_COMMENT_LENGTH.toLocaleString("en")} characters.`);

export const CommentAnchorInput = z
  .object({
    section: z.string().min(1).max(120).optional(),
    row: z.number().int().min(0).max(10_000_000).optional(),
    column: z.string().min(1).max(200).optional(),
  })
  .strict();

export const CreateCommentInput = z.object({
  target: z.object({
    type: z.enum(COMMENT_TARGET_TYPES, { error: `target.type is one of: ${COMMENT_TARGET_TYPES.join(", ")}.` }),
    id: z.string({ error: "target.id is required." }).min(1, "target.id is required.").max(64),
    anchor: CommentAnchorInput.nullable().optional(),
  }),
  body,
  parentId: z.string().min(1).max(64).nullable().optional(),
});

export const EditCommentInput = z.object({ body });

export const CommentsQuery = z.object({
  targetType: z.enum(COMMENT_TARGET_TYPES, { error: `targetType is one of: ${COMMENT_TARGET_TYPES.join(", ")}.` }),
  targetId: z.string({ error: "targetId is required." }).min(1).max(64),
});
