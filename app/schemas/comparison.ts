/** The comparison view and its exports: query rules and the API's answers. */
import { z } from "zod";
import { EFFECT_MEASURES } from "#app/domain/effect-sizes.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { SOURCE_PREFERENCES } from "#app/domain/comparison.ts";
import { responseShape } from "./components.ts";
import { ProfileRegistrationJson } from "./registrations.ts";
import { Count, Id, idList } from "./json.ts";

export const ComparisonQuery = z.object({
  outcome: z.string().trim().max(200).optional(),
  measure: z.enum(EFFECT_MEASURES, { error: `measure is one of ${EFFECT_MEASURES.join(", ")}.` }).optional(),
  method: z.enum(POOLING_METHODS, { error: `method is one of ${POOLING_METHODS.join(", ")}.` }).default("REML"),
  knha: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .default(false),
  prefer: z.enum(SOURCE_PREFERENCES, { error: `prefer is one of ${SOURCE_PREFERENCES.join(", ")}.` }).default("participant"),
  /** Study ids left out of every pooled number (sensitivity analysis). */
  exclude: idList,
});

export const ComparisonCellQuery = ComparisonQuery.extend({
  row: z.string({ error: "Give the row (an intervention or class key)." }).min(1, "Give the row (an intervention or class key)."),
  /** One profile's column; without it, every profile of the row (the test for subgroup differences). */
  profile: z.string().optional(),
});

// Answers

/** A statistic that is not finite (a zero-width Knapp–Hartung interval) is written as null, as the calculator does. */
const statistic = z.number().nullable();

export const PooledJson = responseShape(
  "Pooled",
  z
    .object({
      k: Count,
      n: Count.nullable().describe("Participants; null when a summary result gave no N."),
      estimate: statistic,
      ciLower: statistic,
      ciUpper: statistic,
      piLower: statistic,
      piUpper: statistic,
      yi: statistic,
      se: statistic,
      tau2: statistic,
      i2: statistic,
      q: statistic,
      qP: statistic,
      pval: statistic,
    })
    .describe(
      "A pooled estimate. estimate, CI and prediction interval are on the measure's scale (ratios as ratios); yi and se on the analysis scale (log for ratios); i2 in percent.",
    ),
);

const measure = z.enum(EFFECT_MEASURES);
const armSummary = z.object({ mean: z.number(), sd: z.number(), n: Count });
const armEvents = z.object({ events: Count, n: Count });

export const ComparisonInputJson = responseShape(
  "ComparisonInput",
  z
    .object({
      id: Id,
      studyId: Id,
      studyTitle: z.string(),
      population: z.string(),
      row: z.string().describe("The matrix row of the intervention: intervention:<name>."),
      intervention: z.string(),
      class: z.string(),
      dose: z.string(),
      comparator: z.string(),
      profileId: Id,
      source: z.enum(SOURCE_PREFERENCES),
      datasetId: Id.nullable(),
      datasetName: z.string().nullable(),
      datasetVersion: Count.nullable(),
      siteSummaryIds: z
        .array(Id)
        .describe("For numbers computed at sites that keep their participant-level data: the site summaries they come from."),
      outcomeDefinition: z.string().nullable().describe("How the outcome was read from the rows."),
      conversions: z.array(z.string()),
      resultId: Id.nullable(),
      resultVersion: Count.nullable(),
      subgroup: z.string().nullable(),
      cutoffDifferences: z.array(z.string()),
      data: z.discriminatedUnion("type", [
        z.object({ type: z.literal("continuous"), intervention: armSummary, comparator: armSummary }),
        z.object({ type: z.literal("binary"), intervention: armEvents, comparator: armEvents }),
        z.object({
          type: z.literal("estimate"),
          measure,
          estimate: z.number(),
          ciLower: z.number(),
          ciUpper: z.number(),
          interventionN: Count.optional(),
          comparatorN: Count.optional(),
        }),
      ]),
    })
    .describe("One study's data for one intervention in one profile, with its provenance."),
);

const outcomeOption = z.object({
  key: z.string(),
  name: z.string(),
  kind: z.enum(["continuous", "binary"]),
  studies: Count.describe("Studies with data for it."),
});

const chosenOutcome = outcomeOption.extend({ higherIsBetter: z.boolean() }).nullable();

const profileColumn = z.object({ id: Id, name: z.string(), version: Count, text: z.string(), description: z.string() });

const rowHeader = {
  key: z.string().describe("class:<class> or intervention:<name>"),
  kind: z.enum(["class", "intervention"]),
  class: z.string(),
  name: z.string(),
  dose: z.string(),
};

const filledCell = PooledJson.extend({
  profileId: Id,
  sources: z.object({ participant: Count, summary: Count }),
  thin: z.boolean(),
  thinReasons: z.array(z.string()),
  studyIds: z.array(Id),
  inputIds: z.array(Id),
  notEstimable: z.array(z.object({ inputId: Id, reason: z.string() })),
});

export const ComparisonJson = responseShape(
  "Comparison",
  z.object({
    outcome: chosenOutcome,
    outcomes: z.array(outcomeOption).describe("Every outcome a study measures, with how many studies give data for it."),
    measure,
    measures: z.array(measure),
    method: z.enum(POOLING_METHODS),
    knha: z.boolean(),
    prefer: z.enum(SOURCE_PREFERENCES),
    exclude: z.array(Id),
    profiles: z.array(
      profileColumn.extend({
        registration: ProfileRegistrationJson.describe(
          "Whether the profile was pre-registered (decision 031): pre-registered, changed-since-registration or added-after; null when the workspace has no registration.",
        ),
      }),
    ),
    rows: z.array(
      z.object({
        ...rowHeader,
        cells: z
          .array(z.union([filledCell, z.object({ profileId: Id, k: z.literal(0) })]))
          .describe("One per profile, in the profiles' order; k = 0 when no study gives an effect."),
      }),
    ),
    inputs: z.array(ComparisonInputJson),
    setAside: z.array(z.object({ input: ComparisonInputJson, usedInstead: Id })),
  }),
);

const nullableNumber = z.number().nullable();

export const ComparisonCellJson = responseShape(
  "ComparisonCell",
  z.object({
    row: z.object(rowHeader),
    outcome: chosenOutcome,
    measure,
    method: z.enum(POOLING_METHODS),
    knha: z.boolean(),
    exclude: z.array(Id),
    profiles: z.array(profileColumn),
    inputs: z.array(ComparisonInputJson),
    forest: z.object({
      measure,
      method: z.enum(POOLING_METHODS),
      groups: z.array(
        z.object({
          profileId: Id,
          pooled: PooledJson.nullable(),
          studies: z.array(
            z.object({
              inputId: Id,
              studyId: Id,
              studyTitle: z.string(),
              source: z.enum(SOURCE_PREFERENCES),
              excluded: z.boolean(),
              estimate: nullableNumber,
              ciLower: nullableNumber,
              ciUpper: nullableNumber,
              yi: nullableNumber,
              vi: nullableNumber,
              n: Count.nullable(),
              weight: nullableNumber.describe("Percent of the profile's weight; null when excluded or not estimable."),
              reason: z.string().nullable(),
            }),
          ),
        }),
      ),
      overall: PooledJson.nullable(),
      subgroupTest: z.object({ q: z.number(), df: Count, p: z.number() }).nullable().describe("The test for subgroup differences."),
    }),
  }),
);

export const WithinTrialQuery = ComparisonQuery.extend({
  row: z.string({ error: "Give the row (an intervention or class key)." }).min(1, "Give the row (an intervention or class key)."),
  a: z.string({ error: "Give profile a (its id)." }).min(1, "Give profile a (its id)."),
  b: z.string({ error: "Give profile b (its id)." }).min(1, "Give profile b (its id)."),
});

const scaledEffect = z.object({ yi: z.number(), vi: z.number(), n: Count.nullable() });

export const WithinTrialJson = responseShape(
  "WithinTrialDifference",
  z
    .object({
      row: z.string(),
      measure,
      method: z.enum(POOLING_METHODS),
      knha: z.boolean(),
      a: z.object({ id: Id, name: z.string() }),
      b: z.object({ id: Id, name: z.string() }),
      ratio: z.boolean().describe("For OR and RR the difference of logs is a ratio of ratios; estimate and CI are then exponentiated."),
      trials: z.array(
        z.object({
          studyId: Id,
          studyTitle: z.string(),
          intervention: z.string(),
          source: z
            .enum(SOURCE_PREFERENCES)
            .describe("participant: computed from the trial's participants; summary: its published subgroup results."),
          provenance: z.object({ a: z.string(), b: z.string() }),
          a: scaledEffect,
          b: scaledEffect,
          yi: z.number().describe("Effect in a minus effect in b, on the analysis scale."),
          vi: z.number(),
          ciLower: z.number(),
          ciUpper: z.number(),
          excluded: z.boolean(),
        }),
      ),
      unpaired: z.array(z.object({ studyTitle: z.string(), intervention: z.string(), reason: z.string() })),
      pooled: PooledJson.nullable(),
    })
    .describe(
      "Each trial's effect in profile a minus its effect in profile b, pooled: effect modification within trials, IPD and published subgroups together.",
    ),
);
