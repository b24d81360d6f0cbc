/**
 * One effect-modification analysis frozen in a snapshot (scope
 * "effect-modification", decision 031): the options, every trial's
 * participant points on the analysis scale (the inputs), the site-fitted
 * trials' interactions as given, and the numbers the page showed.
 * `effectModificationOutputs` refits and re-pools from the stored inputs with
 * the same pure code as the live view, so the stored numbers can be checked to
 * the digit. Pure code: the pages use it too.
 */
import { fitNumbers, fitTrials, poolTrials, type TrialWithFit } from "./effect-modification.ts";
import type { InteractionOutcome } from "./interaction-fits.ts";
import type { PoolingMethod } from "./meta-analysis.ts";

/** A participant as stored: [arm (1 = intervention, 0 = comparator), x on the analysis scale, y]. */
export type StoredPoint = [0 | 1, number, number];

/** The trial fields a recompute reads; the stored view holds more (names, versions, rug) for the page. */
export interface StoredEffectModificationTrial extends TrialWithFit {
  source: "dataset" | "site";
}

export interface StoredEffectModification<View = unknown> {
  /** The question asked, as the live view takes it (enough to ask it again). */
  options: {
    outcome: string | null;
    intervention: string | null;
    biomarker: string | null;
    scale: string;
    per: number;
    method: PoolingMethod;
    knha: boolean;
    exclude: string[];
  };
  /** The analysis as the page showed it: trials with their fits, pooled interaction, line, across-trial check. */
  view: View;
  /** Each participant-level trial's points, by trial key, in the order they were fitted. */
  points: Record<string, StoredPoint[]>;
}

/** The question a view answers, as a snapshot stores it: what the live view is asked again, and what two analyses compare. */
export function effectModificationOptionsOf(view: {
  outcome: { name: string } | null;
  intervention: string | null;
  biomarker: { code: string } | null;
  transform: { scale: string; per: number };
  method: PoolingMethod;
  knha: boolean;
  exclude: string[];
}): StoredEffectModification["options"] {
  return {
    outcome: view.outcome?.name ?? null,
    intervention: view.intervention,
    biomarker: view.biomarker?.code ?? null,
    scale: view.transform.scale,
    per: view.transform.per,
    method: view.method,
    knha: view.knha,
    exclude: view.exclude,
  };
}

/** What a recompute reproduces: every trial's n and fit, and stage two. */
export function effectModificationNumbers(view: {
  trials: StoredEffectModificationTrial[];
  pooled: unknown;
  line: unknown;
  across: unknown;
}) {
  return {
    trials: view.trials.map((t) => ({ key: t.key, n: t.n, fit: t.fit })),
    pooled: view.pooled,
    line: view.line,
    across: view.across,
  };
}

/**
 * The numbers a stored analysis's inputs give, computed again: each
 * participant-level trial refitted from its points (one trial at a time, as
 * the live view fits them), site-fitted trials taken as given, then pooled.
 */
export function effectModificationOutputs(
  stored: StoredEffectModification<{ trials: StoredEffectModificationTrial[] }>,
  kind: InteractionOutcome,
) {
  const trials = stored.view.trials.map((trial): StoredEffectModificationTrial => {
    if (trial.source === "site") return trial;
    const points = (stored.points[trial.key] ?? []).map(([arm, x, y]) => ({
      arm: arm === 1 ? ("intervention" as const) : ("comparator" as const),
      x,
      y,
    }));
    const fit = fitTrials(kind, [{ label: trial.key, points }]).fitted[0];
    return {
      ...trial,
      n: points.length,
      fit: fit ? fitNumbers(fit) : null,
    };
  });
  const { method, knha, exclude } = stored.options;
  return effectModificationNumbers({ trials, ...poolTrials(trials, exclude, { method, knha }) });
}
