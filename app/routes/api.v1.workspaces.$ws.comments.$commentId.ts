import { apiRoute, noContent, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { deleteComment, editComment, getComment } from "#app/services/comments.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => getComment(caller.user, requireParam(params, "ws"), requireParam(params, "commentId")),
  PATCH: async ({ caller, params, request }) =>
    editComment(caller.user, requireParam(params, "ws"), requireParam(params, "commentId"), await readJsonBody(request)),
  DELETE: ({ caller, params }) => {
    deleteComment(caller.user, requireParam(params, "ws"), requireParam(params, "commentId"));
    return noContent();
  },
});
