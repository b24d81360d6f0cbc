/** Comments and threads on any resource. */
import { CommentJson, CommentListJson, CommentsQuery, CreateCommentInput, EditCommentInput } from "#app/schemas/comments.ts";
import { type ApiArea, json, noContent } from "#app/http/openapi/contract.ts";

export const commentsArea: ApiArea = {
  tags: [{ name: "comments", description: "Comments and threads on protocols, panels, studies, datasets, results and goals" }],
  pathParameters: { commentId: "The comment id." },
  paths: {
    "/api/v1/workspaces/{ws}/comments": {
      get: {
        operationId: "listComments",
        summary: "Comments on one resource",
        tag: "comments",
        query: CommentsQuery,
        responses: { 200: json("The comments.", CommentListJson) },
        errors: [400, 404],
      },
      post: {
        operationId: "createComment",
        summary: "Comment, or reply to a thread (any member)",
        tag: "comments",
        body: CreateCommentInput,
        responses: { 201: json("The new comment.", CommentJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/comments/{commentId}": {
      get: {
        operationId: "getComment",
        summary: "A comment",
        tag: "comments",
        responses: { 200: json("The comment.", CommentJson) },
        errors: [404],
      },
      patch: {
        operationId: "editComment",
        summary: "Edit your comment",
        tag: "comments",
        body: EditCommentInput,
        responses: { 200: json("The edited comment.", CommentJson) },
        errors: [404, 422],
      },
      delete: {
        operationId: "deleteComment",
        summary: "Delete a comment (its author or a lead); the audit trail keeps its text",
        tag: "comments",
        responses: { 204: noContent("Deleted.") },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/comments/{commentId}/resolve": {
      post: {
        operationId: "resolveThread",
        summary: "Resolve a thread (its author, a contributor or a lead)",
        tag: "comments",
        responses: { 200: json("The thread's first comment.", CommentJson) },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/comments/{commentId}/reopen": {
      post: {
        operationId: "reopenThread",
        summary: "Reopen a resolved thread",
        tag: "comments",
        responses: { 200: json("The thread's first comment.", CommentJson) },
        errors: [404, 422],
      },
    },
  },
};
