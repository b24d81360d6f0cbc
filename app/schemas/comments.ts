/** Comments: input rules and the API's answers. */
import { z } from "zod";
import { COMMENT_TARGET_TYPES } from "#app/domain/comments.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count, Id, IsoTime, NullableIsoTime, PersonJson } from "./json.ts";
import { Paged } from "./paging.ts";

export const MAX_COMMENT_LENGTH = 10_000;

const body = z
  .string({ error: "Write a comment." })
  .trim()
  .min(1, "Write a comment.")
  .max(MAX_COMMENT_LENGTH, `A comment has at most ${MAX_COMMENT_LENGTH.toLocaleString("en")} characters.`);

/** A Yjs relative position (base64) in a protocol's live text. */
const relativePosition = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "A text position is base64.");

export const TextRangeInput = z
  .object({
    start: relativePosition,
    end: relativePosition,
    quote: z.string().min(1, "Select the text to comment on.").max(1000, "Comment on at most 1,000 characters of text."),
  })
  .strict();

export const CommentAnchorInput = z
  .object({
    section: z.string().min(1).max(120).optional(),
    row: z.number().int().min(0).max(10_000_000).optional(),
    column: z.string().min(1).max(200).optional(),
    range: TextRangeInput.optional(),
  })
  .strict();

export const CreateCommentInput = requestShape(
  "CreateCommentInput",
  z.object({
    target: z.object({
      type: z.enum(COMMENT_TARGET_TYPES, { error: `target.type is one of: ${COMMENT_TARGET_TYPES.join(", ")}.` }),
      id: z.string({ error: "target.id is required." }).min(1, "target.id is required.").max(64),
      anchor: CommentAnchorInput.nullable().optional(),
    }),
    body,
    parentId: z.string().min(1).max(64).nullable().optional(),
  }),
);

export const EditCommentInput = requestShape("EditCommentInput", z.object({ body }));

export const CommentsQuery = z.object({
  targetType: z.enum(COMMENT_TARGET_TYPES, { error: `targetType is one of: ${COMMENT_TARGET_TYPES.join(", ")}.` }),
  targetId: z.string({ error: "targetId is required." }).min(1).max(64),
});

// Answers

export const CommentJson = responseShape(
  "Comment",
  z.object({
    id: Id,
    workspaceId: Id,
    target: z.object({
      type: z.enum(COMMENT_TARGET_TYPES),
      id: Id,
      anchor: z
        .object({
          section: z.string().optional(),
          row: Count.optional(),
          column: z.string().optional(),
          range: z.object({ start: z.string(), end: z.string(), quote: z.string() }).optional(),
        })
        .nullable()
        .describe(
          "A protocol section ({section}), a range of a protocol's live text ({range}: Yjs relative positions, base64, and the text quoted), or a dataset row, column or cell ({row}, {column}, {row, column}).",
        ),
    }),
    parentId: Id.nullable().describe("The thread's first comment; null for a thread's first comment."),
    body: z.string().describe("Markdown as written; mentions as @[Name](mention:userId). Empty once deleted."),
    bodyHtml: z.string().describe("The body rendered and sanitised: safe to insert as HTML."),
    author: PersonJson,
    createdAt: IsoTime,
    editedAt: NullableIsoTime,
    deleted: z.boolean(),
    resolvedAt: NullableIsoTime,
    resolvedBy: PersonJson.nullable(),
    version: Count,
  }),
);

export const CommentListJson = responseShape(
  "CommentList",
  Paged(CommentJson).describe("Every comment on the resource, oldest first; group by parentId for threads."),
);
