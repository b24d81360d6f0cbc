import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { listEvents } from "#app/services/audit.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params, request }) =>
    listEvents(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams)),
});
