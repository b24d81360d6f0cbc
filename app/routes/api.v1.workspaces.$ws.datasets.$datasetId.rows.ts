import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { datasetRowsJson } from "#app/public-shapes/datasets.ts";
import { listDatasetRows } from "#app/services/dataset-views.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    datasetRowsJson(
      await listDatasetRows(
        caller.user,
        requireParam(params, "ws"),
        requireParam(params, "datasetId"),
        Object.fromEntries(new URL(request.url).searchParams),
      ),
    ),
});
