import { apiRoute, download, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { comparisonInputsCsv } from "#app/services/comparison-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    download(
      await comparisonInputsCsv(caller.user, requireParam(params, "ws"), searchParamsObject(request.url)),
      "text/csv",
      "comparison-inputs.csv",
    ),
});
