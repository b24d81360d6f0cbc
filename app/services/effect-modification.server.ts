/**
 * The stateless effect-modification calculator behind
 * POST /api/v1/effect-modification: validates the request, fits each trial's
 * interaction and pools them (app/domain/effect-modification.ts). A trial the
 * model cannot be fitted to is a 400 naming it; a logistic fit without a
 * finite estimate (separation) is noted and left out of the pooling instead.
 * Nothing is stored: no transaction, no event.
 */
import { fitTrials, poolInteractions } from "#app/domain/effect-modification.ts";
import { MetaAnalysisError } from "#app/domain/meta-analysis.ts";
import type { EffectModificationAnswer } from "#app/public-shapes/effect-modification.ts";
import { EffectModificationInput } from "#app/schemas/effect-modification.ts";
import { unprocessable, validationFailed } from "./errors.server.ts";
import { parseInput } from "./validation.server.ts";

export type { EffectModificationAnswer };

export function runEffectModification(input: unknown): EffectModificationAnswer {
  const { outcome, method, knha, trials } = parseInput(EffectModificationInput, input);
  const { fitted, notFitted } = fitTrials(
    outcome,
    trials.map((t) => ({ label: t.label, points: t.rows })),
  );
  const unusable = notFitted.filter((t) => t.problem !== "separation");
  if (unusable.length > 0) {
    const details = unusable.map((t) => ({ field: `trials.${t.index}`, message: `Trial “${t.label}” ${t.reason}` }));
    throw validationFailed(`${details[0].field}: ${details[0].message}`, details.slice(0, 50));
  }
  const notPooled = notFitted.map((t) => ({ label: t.label, n: t.n, reason: t.reason }));
  if (fitted.length === 0) {
    throw unprocessable(
      "No trial could be fitted, so there is nothing to pool.",
      notFitted.map((t) => ({ field: `trials.${t.index}`, message: t.reason })),
    );
  }
  try {
    return { outcome, method, knha, perTrial: fitted, notPooled, pooled: poolInteractions(fitted, { method, knha }) };
  } catch (error) {
    if (error instanceof MetaAnalysisError) throw unprocessable(error.message);
    throw error;
  }
}
