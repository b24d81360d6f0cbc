/** Query rules of the comparison view and its exports. */
import { z } from "zod";
import { EFFECT_MEASURES } from "#app/domain/effect-sizes.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { SOURCE_PREFERENCES } from "#app/domain/comparison.ts";

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)));

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
