import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { comparisonCellJson } from "#app/public-shapes/comparison.ts";
import { getComparisonCell } from "#app/services/comparison.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    comparisonCellJson(await getComparisonCell(caller.user, requireParam(params, "ws"), searchParamsObject(request.url))),
});
