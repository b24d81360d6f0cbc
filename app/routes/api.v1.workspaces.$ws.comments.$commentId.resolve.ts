import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { setThreadResolved } from "#app/services/comments.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params }) =>
    await setThreadResolved(caller.user, requireParam(params, "ws"), requireParam(params, "commentId"), true),
});
