import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { dictionaryFileName } from "#app/public-shapes/panels.ts";
import { exportDictionary } from "#app/services/panel-dictionary.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const { panel, csv } = await exportDictionary(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${dictionaryFileName(panel)}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
