import { apiRoute, noContent, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { deleteComment, editComment, getComment } from "#app/services/comments.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => await getComment(caller.user, requireParam(params, "ws"), requireParam(params, "commentId")),
  PATCH: async ({ caller, params, request }) =>
    await editComment(caller.user, requireParam(params, "ws"), requireParam(params, "commentId"), await readJsonBody(request)),
  DELETE: async ({ caller, params }) => {
    await deleteComment(caller.user, requireParam(params, "ws"), requireParam(params, "commentId"));
    return noContent();
  },
});
