import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { withinTrialCsv } from "#app/services/within-trial-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    new Response(await withinTrialCsv(caller.user, requireParam(params, "ws"), searchParamsObject(request.url)), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="within-trial.csv"',
        "Cache-Control": "no-store",
      },
    }),
});
