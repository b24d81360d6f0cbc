import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { datasetSummaryJson } from "#app/public-shapes/datasets.ts";
import { getDataset } from "#app/services/dataset-views.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    datasetSummaryJson(await getDataset(caller.user, requireParam(params, "ws"), requireParam(params, "datasetId"))),
});
