/** Comments and threads on any resource. */
import { COMMENT_TARGET_TYPES } from "#app/domain/comments.ts";
import { CommentsQuery, CreateCommentInput, EditCommentInput } from "#app/schemas/comments.ts";
import { type ApiSection, dateTime, id, listOf, requestSchema } from "#app/http/openapi/builder.ts";

const person = { type: "object", required: ["id", "name"], properties: { id: id(), name: { type: "string" } } };

export const commentsSection: ApiSection = {
  tags: [{ name: "comments", description: "Comments and threads on protocols, panels, studies, datasets, results and goals" }],
  pathParameters: { commentId: "The comment id." },
  requestBodies: () => ({ CreateCommentInput: requestSchema(CreateCommentInput), EditCommentInput: requestSchema(EditCommentInput) }),
  responseSchemas: () => ({
    Comment: {
      type: "object",
      required: ["id", "target", "parentId", "body", "bodyHtml", "author", "createdAt", "deleted", "resolvedAt"],
      properties: {
        id: id(),
        workspaceId: id(),
        target: {
          type: "object",
          properties: {
            type: { type: "string", enum: [...COMMENT_TARGET_TYPES] },
            id: id(),
            anchor: {
              type: ["object", "null"],
              description: "A protocol section ({section}), or a dataset row, column or cell ({row}, {column}, {row, column}).",
            },
          },
        },
        parentId: { type: ["string", "null"], description: "The thread's first comment; null for a thread's first comment." },
        body: { type: "string", description: "Markdown as written; mentions as @[Name](mention:userId). Empty once deleted." },
        bodyHtml: { type: "string", description: "The body rendered and sanitised: safe to insert as HTML." },
        author: person,
        createdAt: dateTime(),
        editedAt: { type: ["string", "null"], format: "date-time" },
        deleted: { type: "boolean" },
        resolvedAt: { type: ["string", "null"], format: "date-time" },
        resolvedBy: { oneOf: [person, { type: "null" }] },
        version: { type: "integer" },
      },
    },
    CommentList: listOf("Comment", "Every comment on the resource, oldest first; group by parentId for threads."),
  }),
  paths: {
    "/api/v1/workspaces/{ws}/comments": {
      get: {
        operationId: "listComments",
        summary: "Comments on one resource",
        tag: "comments",
        query: CommentsQuery,
        success: { status: 200, description: "The comments.", schema: "CommentList" },
        errors: [400, 404],
      },
      post: {
        operationId: "createComment",
        summary: "Comment, or reply to a thread (any member)",
        tag: "comments",
        body: "CreateCommentInput",
        success: { status: 201, description: "The new comment.", schema: "Comment" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/comments/{commentId}": {
      get: {
        operationId: "getComment",
        summary: "A comment",
        tag: "comments",
        success: { status: 200, description: "The comment.", schema: "Comment" },
        errors: [404],
      },
      patch: {
        operationId: "editComment",
        summary: "Edit your comment",
        tag: "comments",
        body: "EditCommentInput",
        success: { status: 200, description: "The edited comment.", schema: "Comment" },
        errors: [404, 422],
      },
      delete: {
        operationId: "deleteComment",
        summary: "Delete a comment (its author or a lead); the audit trail keeps its text",
        tag: "comments",
        success: { status: 204, description: "Deleted." },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/comments/{commentId}/resolve": {
      post: {
        operationId: "resolveThread",
        summary: "Resolve a thread (its author, a contributor or a lead)",
        tag: "comments",
        success: { status: 200, description: "The thread's first comment.", schema: "Comment" },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/comments/{commentId}/reopen": {
      post: {
        operationId: "reopenThread",
        summary: "Reopen a resolved thread",
        tag: "comments",
        success: { status: 200, description: "The thread's first comment.", schema: "Comment" },
        errors: [404, 422],
      },
    },
  },
};
