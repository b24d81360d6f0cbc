/**
 * The stateless calculator behind POST /api/v1/meta-analysis and
 * POST /api/v1/effect-sizes: validates the request, runs the pure statistics
 * of app/domain, and turns what the statistics refuse into the API's errors
 * (400 pointing at the item, 422 for well-formed input no model can use).
 * Nothing is stored, so there is no transaction and no event; the routes
 * still require a signed-in caller.
 */
import type { z } from "zod";
import {
  computeEffectSize,
  type EffectMeasure,
  type EffectSizeInput,
  type EffectSizeOutcome,
  ImpossibleInputError,
} from "#app/domain/effect-sizes.ts";
import { MetaAnalysisError, poolEffects, type StudyEffect, subgroupAnalysis } from "#app/domain/meta-analysis.ts";
import { EffectSizeRequestHead, MetaAnalysisInput, studyInputFor } from "#app/schemas/meta-analysis.ts";
import type { EffectSizeAnswer, EffectSizeRow, MetaAnalysisAnswer } from "#app/public-shapes/meta-analysis.ts";
import { type ErrorDetail, unprocessable, validationFailed } from "./errors.server.ts";
import { parseInput } from "./validation.server.ts";

export type { EffectSizeAnswer, EffectSizeRow, MetaAnalysisAnswer };

function refuse(error: unknown): never {
  if (error instanceof MetaAnalysisError) {
    if (error.problem === "invalid_effect" && error.index !== undefined) {
      const field = `effects.${error.index}.${error.field ?? "vi"}`;
      throw validationFailed(`${field}: ${error.message}`, [{ field, message: error.message }]);
    }
    throw unprocessable(error.message);
  }
  throw error;
}

/** Pools the effects (and each subgroup, when the effects name one) as metafor's rma() would. */
export function runMetaAnalysis(input: unknown): MetaAnalysisAnswer {
  const { method, knha, effects } = parseInput(MetaAnalysisInput, input);
  const options = { method, knha };
  try {
    const pooled = poolEffects(effects, options);
    if (effects[0].subgroup === undefined) return { pooled, subgroups: null };
    const byGroup: Record<string, StudyEffect[]> = {};
    for (const effect of effects) {
      byGroup[effect.subgroup!] ??= [];
      byGroup[effect.subgroup!].push(effect);
    }
    const analysis = subgroupAnalysis(byGroup, options);
    return {
      pooled,
      subgroups: {
        groups: Object.entries(analysis.groups).map(([name, result]) => ({ name, pooled: result })),
        test: analysis.test,
      },
    };
  } catch (error) {
    refuse(error);
  }
}

const MAX_DETAILS = 50;

function zodDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((issue) => ({ field: [prefix, ...issue.path].filter((p) => p !== "").join("."), message: issue.message }));
}

type StudyResult = { ok: true; value: { label?: string } & EffectSizeOutcome } | { ok: false; details: ErrorDetail[] };

/** One study's effect, or why not, with fields prefixed by where the study sits in the request. */
function effectOf(measure: EffectMeasure, study: unknown, prefix: string): StudyResult {
  const parsed = studyInputFor(measure, study).safeParse(study);
  if (!parsed.success) return { ok: false, details: zodDetails(parsed.error, prefix) };
  const { label, ...values } = parsed.data;
  try {
    return { ok: true, value: { label, ...computeEffectSize({ measure, ...values } as EffectSizeInput) } };
  } catch (error) {
    if (!(error instanceof ImpossibleInputError)) throw error;
    return { ok: false, details: [{ field: [prefix, error.field].filter(Boolean).join("."), message: error.message }] };
  }
}

function refuseDetails(details: ErrorDetail[]): never {
  const first = details[0];
  throw validationFailed(`${first.field}: ${first.message}`, details.slice(0, MAX_DETAILS));
}

/**
 * Effect sizes as metafor's escalc computes them: one study (`{measure, ...}`)
 * or a list (`{measure, studies: [...]}`). A study whose ratio is not estimable
 * is reported as such in a list; a lone one, or a list of nothing else, is 422.
 */
export function calculateEffectSizes(input: unknown): EffectSizeAnswer {
  const { measure, studies } = parseInput(EffectSizeRequestHead, input);
  if (studies === undefined) {
    const result = effectOf(measure, input, "");
    if (!result.ok) refuseDetails(result.details);
    const outcome = result.value;
    if (!outcome.estimable) throw unprocessable(outcome.reason);
    return { kind: "single", measure, yi: outcome.yi, vi: outcome.vi };
  }
  const rows: EffectSizeRow[] = [];
  const problems: ErrorDetail[] = [];
  studies.forEach((study, index) => {
    const result = effectOf(measure, study, `studies.${index}`);
    if (result.ok) rows.push({ index, ...result.value });
    else problems.push(...result.details);
  });
  if (problems.length > 0) refuseDetails(problems);
  const notEstimable = rows.filter((row) => !row.estimable);
  if (notEstimable.length === rows.length) {
    throw unprocessable(
      "No study has an estimable effect.",
      notEstimable.slice(0, MAX_DETAILS).map((row) => ({ field: `studies.${row.index}`, message: !row.estimable ? row.reason : "" })),
    );
  }
  return { kind: "list", measure, rows };
}
