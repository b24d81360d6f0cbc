import { apiRoute, download, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { effectModificationCsv } from "#app/services/effect-modification-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    download(
      await effectModificationCsv(caller.user, requireParam(params, "ws"), searchParamsObject(request.url)),
      "text/csv",
      "effect-modification.csv",
    ),
});
