import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { getDataset } from "#app/services/dataset-views.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => {
    const dataset = getDataset(caller.user, requireParam(params, "ws"), requireParam(params, "datasetId"));
    return { datasetId: dataset.id, rowCount: dataset.rowCount, columns: dataset.summary };
  },
});
