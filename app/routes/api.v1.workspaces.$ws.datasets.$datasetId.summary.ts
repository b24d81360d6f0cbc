import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { datasetSummaryJson } from "#app/public-shapes/datasets.ts";
import { getDataset } from "#app/services/dataset-views.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => datasetSummaryJson(getDataset(caller.user, requireParam(params, "ws"), requireParam(params, "datasetId"))),
});
