import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { getEffectModificationMatrix } from "#app/services/effect-modification-view.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    await getEffectModificationMatrix(caller.user, requireParam(params, "ws"), searchParamsObject(request.url)),
});
