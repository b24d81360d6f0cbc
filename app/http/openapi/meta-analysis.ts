/** The stateless calculator: effect sizes (metafor's escalc) and pooling (rma() with predict()). */
import { EFFECT_MEASURES } from "#app/domain/effect-sizes.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { EffectSizeInput, MetaAnalysisInput } from "#app/schemas/meta-analysis.ts";
import { type ApiSection, type JsonSchema, ref, requestSchema } from "#app/http/openapi/builder.ts";

const number = (description: string) => ({ type: "number", description });
const nullableNumber = (description: string) => ({ type: ["number", "null"], description });

const pooledProperties: Record<string, JsonSchema> = {
  method: { type: "string", enum: [...POOLING_METHODS] },
  knha: { type: "boolean", description: "Whether the Knapp–Hartung adjustment was applied (never for a single study, as in metafor)." },
  k: { type: "integer", description: "Number of effects pooled." },
  estimate: number("The pooled effect (log scale for ratios)."),
  se: number("Its standard error (Knapp–Hartung adjusted when knha)."),
  ciLower: number("95% confidence interval, lower limit."),
  ciUpper: number("95% confidence interval, upper limit."),
  tau2: number("Between-study variance τ² (0 for FE)."),
  i2: number("I² in percent."),
  h2: number("H²."),
  q: number("Cochran's Q (fixed-effect weights)."),
  qDf: { type: "integer", description: "Degrees of freedom of Q (k − 1)." },
  qP: number("p-value of Q."),
  piLower: number("95% prediction interval, lower limit (metafor's predict(); z, or t with k − 1 df under Knapp–Hartung)."),
  piUpper: number("95% prediction interval, upper limit."),
  weights: { type: "array", items: { type: "number" }, description: "Each effect's weight in percent, in input order (metafor's weights())." },
  test: { type: "string", enum: ["z", "t"] },
  zval: nullableNumber("The z statistic (test z)."),
  tval: nullableNumber("The t statistic (test t); null when the interval has zero width."),
  df: { type: "integer", description: "Degrees of freedom of the t statistic (test t)." },
  pval: number("Two-sided p-value of the pooled effect."),
};
const pooledRequired = ["method", "k", "estimate", "se", "ciLower", "ciUpper", "tau2", "i2", "h2", "q", "qDf", "qP", "piLower", "piUpper", "weights", "test", "pval"];

export const metaAnalysisSection: ApiSection = {
  tags: [{ name: "calculator", description: "Stateless effect sizes and meta-analysis, agreeing with R's metafor" }],
  requestBodies: () => ({
    MetaAnalysisInput: requestSchema(MetaAnalysisInput),
    EffectSizeInput: requestSchema(EffectSizeInput),
  }),
  responseSchemas: () => ({
    PooledEffect: { type: "object", required: pooledRequired, properties: pooledProperties },
    MetaAnalysis: {
      type: "object",
      required: pooledRequired,
      description: "The pooled effect over all studies; with subgroups when the effects name them.",
      properties: {
        ...pooledProperties,
        subgroups: {
          type: "object",
          required: ["groups", "test"],
          properties: {
            groups: {
              type: "array",
              description: "One model per subgroup, each with its own τ², in order of first appearance.",
              items: { allOf: [ref("PooledEffect"), { type: "object", required: ["name"], properties: { name: { type: "string" } } }] },
            },
            test: {
              type: ["object", "null"],
              description: "Test for subgroup differences: Q between the subgroup estimates (null with one subgroup).",
              required: ["q", "df", "p"],
              properties: { q: { type: "number" }, df: { type: "integer" }, p: { type: "number" } },
            },
          },
        },
      },
      examples: [
        {
          method: "REML",
          knha: false,
          k: 13,
          estimate: -0.7145,
          se: 0.1798,
          ciLower: -1.0669,
          ciUpper: -0.3622,
          tau2: 0.3132,
          i2: 92.22,
          h2: 12.86,
          q: 152.23,
          qDf: 12,
          qP: 0,
          piLower: -1.8667,
          piUpper: 0.4376,
          weights: [5.07, 6.09],
          test: "z",
          zval: -3.97,
          pval: 0.0001,
        },
      ],
    },
    EffectSizes: {
      description: "One study: `{measure, yi, vi}`. A list (`studies` sent): the estimable effects, ready to pool, and the others with the reason.",
      oneOf: [
        {
          type: "object",
          required: ["measure", "yi", "vi"],
          properties: {
            measure: { type: "string", enum: [...EFFECT_MEASURES] },
            yi: number("The effect (log scale for OR and RR)."),
            vi: number("Its sampling variance."),
          },
        },
        {
          type: "object",
          required: ["measure", "effects", "notEstimable"],
          properties: {
            measure: { type: "string", enum: [...EFFECT_MEASURES] },
            effects: {
              type: "array",
              items: {
                type: "object",
                required: ["index", "yi", "vi"],
                properties: { index: { type: "integer" }, label: { type: "string" }, yi: { type: "number" }, vi: { type: "number" } },
              },
            },
            notEstimable: {
              type: "array",
              description: "Studies whose ratio says nothing (no events in either group, or events in everyone).",
              items: {
                type: "object",
                required: ["index", "reason"],
                properties: { index: { type: "integer" }, label: { type: "string" }, reason: { type: "string" } },
              },
            },
          },
        },
      ],
    },
  }),
  paths: {
    "/api/v1/meta-analysis": {
      post: {
        operationId: "metaAnalysis",
        summary: "Pool effects: FE, DerSimonian–Laird or REML, optionally Knapp–Hartung, with subgroups",
        description:
          "Agrees with R's metafor (`rma(yi, vi, method=...)`, `predict()`) to 1e-6 for FE and DL and 1e-5 for REML. " +
          "At most 10,000 effects; every vi must be above 0. 422 when the model cannot be fitted (REML not converging).",
        tag: "calculator",
        body: "MetaAnalysisInput",
        success: { status: 200, description: "The pooled effect.", schema: "MetaAnalysis" },
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
        body: "EffectSizeInput",
        success: { status: 200, description: "The effect sizes.", schema: "EffectSizes" },
        errors: [422],
      },
    },
  },
};
