import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { exportDatasetCsv } from "#app/services/dataset-views.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const { fileName, csv } = await exportDatasetCsv(caller.user, requireParam(params, "ws"), requireParam(params, "datasetId"));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
