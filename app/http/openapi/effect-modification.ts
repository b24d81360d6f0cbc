/** Who benefits: the workspace's effect-modification analysis and its exports. */
import { EffectModificationMatrixJson, EffectModificationQuery, EffectModificationViewJson } from "#app/schemas/effect-modification.ts";
import { type ApiArea, attachment, json, media } from "#app/http/openapi/contract.ts";

export const effectModificationArea: ApiArea = {
  tags: [
    {
      name: "effect modification",
      description: "Within-trial treatment × biomarker interactions from participant-level data, pooled across trials",
    },
  ],
  paths: {
    "/api/v1/workspaces/{ws}/effect-modification": {
      get: {
        operationId: "getEffectModification",
        summary: "Does the treatment work better the higher the biomarker? Per-trial interactions, pooled, with the across-trial check",
        description:
          "Each participant-level dataset of a study with the intervention, its comparator, the outcome and the biomarker is a trial: " +
          "y ~ arm + x + arm:x (lm, or logistic glm for a binary outcome) with x the biomarker in the panel's unit on the chosen scale. " +
          "Defaults: the outcome most trials give, the first intervention, hs-CRP per doubling. exclude takes trial keys.",
        tag: "effect modification",
        query: EffectModificationQuery,
        responses: { 200: json("The analysis.", EffectModificationViewJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/effect-modification/matrix": {
      get: {
        operationId: "getEffectModificationMatrix",
        summary: "Every intervention (and class) against every measured biomarker: the pooled within-trial interaction per cell",
        description:
          "Each biomarker on its usual scale (hs-CRP per doubling, BMI per 5 kg/m2). Takes outcome, method and knha; other parameters are ignored.",
        tag: "effect modification",
        query: EffectModificationQuery,
        responses: { 200: json("The matrix.", EffectModificationMatrixJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/effect-modification.csv": {
      get: {
        operationId: "exportEffectModificationCsv",
        summary: "The analysis as CSV: a line per trial, the pooled interaction and the across-trial slope",
        tag: "effect modification",
        query: EffectModificationQuery,
        responses: { 200: media("CSV.", "text/csv", { headers: attachment("effect-modification.csv") }) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/effect-modification/data.csv": {
      get: {
        operationId: "exportEffectModificationData",
        summary: "The participant points each trial was fitted to (trial, arm 1/0, x on the analysis scale, y)",
        tag: "effect modification",
        query: EffectModificationQuery,
        responses: { 200: media("CSV.", "text/csv", { headers: attachment("effect-modification-data.csv") }) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/effect-modification.R": {
      get: {
        operationId: "exportEffectModificationR",
        summary:
          "An R script (lm/glm + metafor) that refits every trial from effect-modification/data.csv, re-pools, and checks the numbers",
        tag: "effect modification",
        query: EffectModificationQuery,
        responses: { 200: media("An R script.", "text/x-r", { headers: attachment("effect-modification-<intervention>-<biomarker>.R") }) },
        errors: [400, 404],
      },
    },
  },
};
