import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { commentListJson } from "#app/public-shapes/comments.ts";
import { createComment, listComments } from "#app/services/comments.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    commentListJson(await listComments(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams))),
  POST: async ({ caller, params, request }) =>
    created(await createComment(caller.user, requireParam(params, "ws"), await readJsonBody(request))),
});
