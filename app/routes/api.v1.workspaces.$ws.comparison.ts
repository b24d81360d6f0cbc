import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { comparisonJson } from "#app/public-shapes/comparison.ts";
import { getComparison } from "#app/services/comparison.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    comparisonJson(await getComparison(caller.user, requireParam(params, "ws"), searchParamsObject(request.url))),
});
