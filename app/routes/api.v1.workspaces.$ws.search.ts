import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { searchWorkspace } from "#app/services/search.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    await searchWorkspace(caller.user, requireParam(params, "ws"), searchParamsObject(request.url)),
});
