import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { createComment, listComments } from "#app/services/comments.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params, request }) => ({
    items: listComments(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams)),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request }) => created(createComment(caller.user, requireParam(params, "ws"), await readJsonBody(request))),
});
