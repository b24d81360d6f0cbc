import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { comparisonJson } from "#app/public-shapes/comparison.ts";
import { getComparison } from "#app/services/comparison.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params, request }) =>
    comparisonJson(getComparison(caller.user, requireParam(params, "ws"), searchParamsObject(request.url))),
});
