import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { comparisonCellScript } from "#app/services/comparison-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request, context }) => {
    const { fileName, script } = await comparisonCellScript(
      caller.user,
      requireParam(params, "ws"),
      searchParamsObject(request.url),
      new URL(request.url).pathname + new URL(request.url).search,
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
