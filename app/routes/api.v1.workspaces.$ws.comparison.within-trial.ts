import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { withinTrialJson } from "#app/public-shapes/comparison.ts";
import { getWithinTrialDifference } from "#app/services/comparison.server.ts";

export const { loader, action } = apiRoute({
  /** Each trial's effect in profile a minus its effect in profile b for one row, pooled. */
  GET: async ({ caller, params, request }) =>
    withinTrialJson(await getWithinTrialDifference(caller.user, requireParam(params, "ws"), searchParamsObject(request.url))),
});
