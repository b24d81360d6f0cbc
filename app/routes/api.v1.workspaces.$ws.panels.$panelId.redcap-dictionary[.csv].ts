import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { redcapDictionaryFileName } from "#app/public-shapes/panel-import.ts";
import { exportRedcapDictionary } from "#app/services/panel-import.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const { panel, csv } = await exportRedcapDictionary(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${redcapDictionaryFileName(panel)}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
