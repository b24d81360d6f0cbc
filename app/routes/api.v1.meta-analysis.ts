import { apiRoute, readJsonBody } from "#app/http/api.server.ts";
import { metaAnalysisJson } from "#app/public-shapes/meta-analysis.ts";
import { runMetaAnalysis } from "#app/services/meta-analysis.server.ts";

export const { loader, action } = apiRoute({
  /** Pools `{method, knha, effects: [{label?, yi, vi, subgroup?}]}` as metafor's rma() and predict() do. */
  POST: async ({ request }) => metaAnalysisJson(runMetaAnalysis(await readJsonBody(request))),
});
