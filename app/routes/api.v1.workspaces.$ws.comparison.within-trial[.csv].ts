import { apiRoute, download, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { withinTrialCsv } from "#app/services/within-trial-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    download(
      await withinTrialCsv(caller.user, requireParam(params, "ws"), searchParamsObject(request.url)),
      "text/csv",
      "within-trial.csv",
    ),
});
