/** The stateless calculator: effect sizes (metafor's escalc) and pooling (rma() with predict()). */
import { EffectModificationInput, EffectModificationJson } from "#app/schemas/effect-modification.ts";
import { EffectSizeInput, EffectSizesJson, MetaAnalysisInput, MetaAnalysisJson } from "#app/schemas/meta-analysis.ts";
import { type ApiArea, json } from "#app/http/openapi/contract.ts";

export const metaAnalysisArea: ApiArea = {
  tags: [{ name: "calculator", description: "Stateless effect sizes and meta-analysis, agreeing with R's metafor" }],
  paths: {
    "/api/v1/meta-analysis": {
      post: {
        operationId: "metaAnalysis",
        summary: "Pool effects: FE, DerSimonian–Laird or REML, optionally Knapp–Hartung, with subgroups",
        description:
          "Agrees with R's metafor (`rma(yi, vi, method=...)`, `predict()`) to 1e-6 for FE and DL and 1e-5 for REML. " +
          "At most 10,000 effects; every vi must be above 0. 422 when the model cannot be fitted (REML not converging).",
        tag: "calculator",
        body: MetaAnalysisInput,
        responses: { 200: json("The pooled effect.", MetaAnalysisJson) },
        errors: [422],
      },
    },
    "/api/v1/effect-sizes": {
      post: {
        operationId: "effectSizes",
        summary: "Effect sizes as metafor's escalc computes them (SMD, MD, OR, RR)",
        description:
          "From means, SDs and group sizes (SMD: Hedges' g; MD), from event counts (OR, RR: log scale, 1/2 added to every cell " +
          "when one is zero), or from a reported estimate with its 95% CI. 422 when no study's effect is estimable.",
        tag: "calculator",
        body: EffectSizeInput,
        responses: { 200: json("The effect sizes.", EffectSizesJson) },
        errors: [422],
      },
    },
    "/api/v1/effect-modification": {
      post: {
        operationId: "effectModification",
        summary: "Within-trial treatment × covariate interactions, per trial and pooled (two-stage IPD meta-analysis)",
        description:
          "Per trial `y ~ arm + x + arm:x` (R's lm for a continuous outcome, glm with family = binomial for a binary one), " +
          "intervention coded 1, x used as given; the arm:x coefficients pooled as rma(yi, sei, method). Agrees with R to 1e-6. " +
          "400 naming the trial when one cannot be fitted (one arm, no variation in x within an arm, too few rows); " +
          "a logistic fit with separation is listed in notPooled instead. Up to 250,000 participants (16 MiB of JSON).",
        tag: "calculator",
        body: EffectModificationInput,
        responses: { 200: json("Per-trial interactions and their pooled estimate.", EffectModificationJson) },
        errors: [422],
      },
    },
  },
};
