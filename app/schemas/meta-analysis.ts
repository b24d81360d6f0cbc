/**
 * Input rules for the stateless calculator (POST /api/v1/meta-analysis and
 * POST /api/v1/effect-sizes). Types, ranges and sizes live here; rules that
 * relate two numbers of one study (events ≤ n, a CI around its estimate) are
 * checked by app/domain/effect-sizes.ts, which names the field the same way.
 */
import { z } from "zod";
import { EFFECT_MEASURES } from "#app/domain/effect-sizes.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count } from "./json.ts";

/** The most effects one request may pool (and the most studies one effect-size request may convert). */
export const MAX_EFFECTS = 10_000;

const finite = (name: string) => z.number({ error: `${name} must be a finite number.` });
const positive = (name: string) => finite(name).gt(0, `${name} must be greater than 0.`);
const groupSize = (name: string) =>
  z
    .number({ error: `${name} must be a whole number.` })
    .int(`${name} must be a whole number.`)
    .min(2, `${name} must be at least 2.`);
const count = (name: string) =>
  z
    .number({ error: `${name} must be a whole number.` })
    .int(`${name} must be a whole number.`)
    .min(0, `${name} cannot be negative.`);
const label = z.string({ error: "A label is text." }).trim().max(200, "A label has at most 200 characters.").optional();

export const StudyEffectInput = z.object({
  label,
  yi: finite("yi").describe("The study's effect on the analysis scale (log scale for ratios)."),
  vi: positive("vi").describe("Its sampling variance."),
  subgroup: z
    .string({ error: "A subgroup is named by text." })
    .trim()
    .min(1, "Name the subgroup, or leave the field out.")
    .max(200, "A subgroup name has at most 200 characters.")
    .optional()
    .describe("Optional: studies with the same subgroup are also pooled together, with the test for subgroup differences."),
});

export const MetaAnalysisInput = requestShape(
  "MetaAnalysisInput",
  z
    .object({
      method: z
        .enum(POOLING_METHODS, { error: `The method is one of: ${POOLING_METHODS.join(", ")}.` })
        .default("REML")
        .describe("FE (inverse-variance fixed effect), DL (DerSimonian–Laird) or REML (metafor's default)."),
      knha: z.boolean({ error: "knha is true or false." }).default(false).describe('Knapp–Hartung adjustment (metafor\'s test = "knha").'),
      effects: z
        .array(StudyEffectInput, { error: "Send the effects as a list of {label?, yi, vi}." })
        .min(1, "Send at least one effect.")
        .max(MAX_EFFECTS, `At most ${MAX_EFFECTS} effects can be pooled at once.`),
    })
    .superRefine((input, ctx) => {
      // Either every effect names its subgroup or none does: a study left out of all subgroups would be silently dropped.
      const grouped = input.effects.filter((e) => e.subgroup !== undefined).length;
      if (grouped === 0 || grouped === input.effects.length) return;
      const index = input.effects.findIndex((e) => e.subgroup === undefined);
      ctx.addIssue({
        code: "custom",
        path: ["effects", index, "subgroup"],
        message: "Name a subgroup for every effect, or for none.",
      });
    }),
);
export type MetaAnalysisInput = z.output<typeof MetaAnalysisInput>;

export const EffectMeasure = z.enum(EFFECT_MEASURES, { error: `The measure is one of: ${EFFECT_MEASURES.join(", ")}.` });

/** Means, SDs and group sizes (SMD, MD): group 1 is the intervention, group 2 the comparator. */
export const ContinuousStudyInput = z.object({
  label,
  m1: finite("m1"),
  sd1: positive("sd1"),
  n1: groupSize("n1"),
  m2: finite("m2"),
  sd2: positive("sd2"),
  n2: groupSize("n2"),
});

/** Participants with the event and group sizes (OR, RR). */
export const BinaryStudyInput = z.object({
  label,
  events1: count("events1"),
  n1: count("n1").min(1, "n1 must be at least 1."),
  events2: count("events2"),
  n2: count("n2").min(1, "n2 must be at least 1."),
});

/** A reported estimate with its 95% CI (a ratio for OR and RR, as published). */
export const ReportedStudyInput = z.object({
  label,
  estimate: finite("estimate"),
  ciLower: finite("ciLower"),
  ciUpper: finite("ciUpper"),
});

/** The schema one study is checked with: what it reports decides, then the measure. */
export function studyInputFor(measure: z.output<typeof EffectMeasure>, study: unknown) {
  if (typeof study === "object" && study !== null && "estimate" in study) return ReportedStudyInput;
  return measure === "SMD" || measure === "MD" ? ContinuousStudyInput : BinaryStudyInput;
}

/** The part of an effect-size request read first: the measure, and whether it is one study or a list. */
export const EffectSizeRequestHead = z.object({
  measure: EffectMeasure,
  studies: z
    .array(z.unknown(), { error: "studies is a list of studies." })
    .min(1, "Send at least one study.")
    .max(MAX_EFFECTS, `At most ${MAX_EFFECTS} studies at once.`)
    .optional(),
});

/** What POST /api/v1/effect-sizes takes, for the OpenAPI document (validation goes study by study, above). */
export const EffectSizeInput = requestShape(
  "EffectSizeInput",
  z.union([
    ContinuousStudyInput.extend({ measure: z.enum(["SMD", "MD"]) }),
    BinaryStudyInput.extend({ measure: z.enum(["OR", "RR"]) }),
    ReportedStudyInput.extend({ measure: EffectMeasure }),
    z.object({
      measure: EffectMeasure,
      studies: z
        .array(z.union([ContinuousStudyInput, BinaryStudyInput, ReportedStudyInput]))
        .min(1)
        .max(MAX_EFFECTS),
    }),
  ]),
);

// Answers

const statistic = (description: string) => z.number().describe(description);

export const PooledEffectJson = responseShape(
  "PooledEffect",
  z.object({
    method: z.enum(POOLING_METHODS),
    knha: z.boolean().describe("Whether the Knapp–Hartung adjustment was applied (never for a single study, as in metafor)."),
    k: Count.describe("Number of effects pooled."),
    estimate: statistic("The pooled effect (log scale for ratios)."),
    se: statistic("Its standard error (Knapp–Hartung adjusted when knha)."),
    ciLower: statistic("95% confidence interval, lower limit."),
    ciUpper: statistic("95% confidence interval, upper limit."),
    tau2: statistic("Between-study variance τ² (0 for FE)."),
    i2: statistic("I² in percent."),
    h2: statistic("H²."),
    q: statistic("Cochran's Q (fixed-effect weights)."),
    qDf: Count.describe("Degrees of freedom of Q (k − 1)."),
    qP: statistic("p-value of Q."),
    piLower: statistic("95% prediction interval, lower limit (metafor's predict(); z, or t with k − 1 df under Knapp–Hartung)."),
    piUpper: statistic("95% prediction interval, upper limit."),
    weights: z.array(z.number()).describe("Each effect's weight in percent, in input order (metafor's weights())."),
    test: z.enum(["z", "t"]),
    zval: z.number().nullable().optional().describe("The z statistic (test z)."),
    tval: z.number().nullable().optional().describe("The t statistic (test t); null when the interval has zero width."),
    df: Count.optional().describe("Degrees of freedom of the t statistic (test t)."),
    pval: statistic("Two-sided p-value of the pooled effect."),
  }),
);

export const MetaAnalysisJson = responseShape(
  "MetaAnalysis",
  PooledEffectJson.extend({
    subgroups: z
      .object({
        groups: z
          .array(PooledEffectJson.extend({ name: z.string() }))
          .describe("One model per subgroup, each with its own τ², in order of first appearance."),
        test: z
          .object({ q: z.number(), df: Count, p: z.number() })
          .nullable()
          .describe("Test for subgroup differences: Q between the subgroup estimates (null with one subgroup)."),
      })
      .optional(),
  }).describe("The pooled effect over all studies; with subgroups when the effects name them."),
);

const effectLabel = z.string().optional();

export const EffectSizesJson = responseShape(
  "EffectSizes",
  z
    .union([
      z.object({
        measure: EffectMeasure,
        yi: z.number().describe("The effect (log scale for OR and RR)."),
        vi: z.number().describe("Its sampling variance."),
      }),
      z.object({
        measure: EffectMeasure,
        effects: z.array(z.object({ index: Count, label: effectLabel, yi: z.number(), vi: z.number() })),
        notEstimable: z
          .array(z.object({ index: Count, label: effectLabel, reason: z.string() }))
          .describe("Studies whose ratio says nothing (no events in either group, or events in everyone)."),
      }),
    ])
    .describe(
      "One study: `{measure, yi, vi}`. A list (`studies` sent): the estimable effects, ready to pool, and the others with the reason.",
    ),
);
