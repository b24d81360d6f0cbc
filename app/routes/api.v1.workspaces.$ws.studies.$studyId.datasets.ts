import { apiRoute, created, json, requireParam } from "#app/http/api.server.ts";
import { datasetJson, datasetProposalJson } from "#app/public-shapes/datasets.ts";
import { receiveUpload } from "#app/services/dataset-upload.server.ts";
import { importDataset } from "#app/services/datasets.server.ts";

/** Upload a dataset (multipart field `file`, or the raw CSV/XLSX body); `?dryRun=1` proposes the column matching without saving. */
export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) => {
    const dryRun = ["1", "true"].includes(new URL(request.url).searchParams.get("dryRun") ?? "");
    const result = await importDataset(
      caller.user,
      requireParam(params, "ws"),
      requireParam(params, "studyId"),
      () => receiveUpload(request),
      {
        dryRun,
      },
    );
    return "dryRun" in result ? json(datasetProposalJson(result)) : created(datasetJson(result));
  },
});
