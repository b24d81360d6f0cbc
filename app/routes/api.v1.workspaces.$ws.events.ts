import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { eventPageJson } from "#app/public-shapes/workspaces.ts";
import { listEvents } from "#app/services/audit.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    eventPageJson(await listEvents(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams))),
});
