import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { withinTrialScript } from "#app/services/within-trial-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request, context }) => {
    const url = new URL(request.url);
    const { fileName, script } = await withinTrialScript(
      caller.user,
      requireParam(params, "ws"),
      searchParamsObject(request.url),
      url.pathname + url.search,
      context.publicOrigin,
    );
    return new Response(script, {
      headers: {
        "Content-Type": "text/x-r; charset=utf-8",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
