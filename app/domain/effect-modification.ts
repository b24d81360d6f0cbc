/**
 * Who benefits: the two-stage analysis of effect modification methodologists
 * ask for (Fisher et al. 2017; Riley et al. 2020; docs/domain.md). Stage one
 * estimates the treatment × covariate interaction within each trial
 * (interaction-fits.ts); stage two pools those within-trial interactions by
 * the same estimators as every other pooled effect here ("deft"). Beside it,
 * the across-trial estimate (a meta-regression of each trial's overall effect
 * on its mean covariate) is computed only as a check: when the two disagree,
 * between-trial differences are confounding the across-trial one.
 *
 * Pure code, for browser and server alike: the page re-pools in the browser
 * when a trial is excluded.
 */
import { logOddsRatio, meanDifference } from "./effect-sizes.ts";
import { normalTwoSidedP } from "./distributions.ts";
import {
  effectAt,
  fitInteraction,
  InteractionFitError,
  type InteractionOutcome,
  type InteractionProblem,
  type ParticipantPoint,
  SeparationError,
  type TrialInteraction,
} from "./interaction-fits.ts";
import { MetaAnalysisError, type PooledEffect, type PoolingOptions, poolEffects } from "./meta-analysis.ts";
import { type MetaRegression, metaRegression } from "./meta-regression.ts";

export const COVARIATE_SCALES = ["linear", "log", "log2"] as const;
export type CovariateScale = (typeof COVARIATE_SCALES)[number];

/** How a biomarker enters the model: as measured per `per` units, on the natural log scale, or per doubling. */
export interface CovariateTransform {
  scale: CovariateScale;
  /** For the linear scale: the step the interaction is reported per (1 mg/L, 5 kg/m2). */
  per: number;
}

/** The value on the analysis scale, or null when the scale cannot take it (a log of 0 or less). */
export function transformCovariate(value: number, transform: CovariateTransform): number | null {
  if (transform.scale === "linear") return value / transform.per;
  if (!(value > 0)) return null;
  return transform.scale === "log" ? Math.log(value) : Math.log2(value);
}

/** Back from the analysis scale to the biomarker's own unit, for axes and cut-offs. */
export function untransformCovariate(value: number, transform: CovariateTransform): number {
  if (transform.scale === "linear") return value * transform.per;
  return transform.scale === "log" ? Math.exp(value) : 2 ** value;
}

/** "hs-CRP (mg/L)", or just "HOMA-IR" for a marker without a unit. */
export const labelWithUnit = (label: string, unit: string) => (unit ? `${label} (${unit})` : label);

/** "per doubling of hs-CRP", "per 5 kg/m2 of BMI": what one step of the interaction means. */
export function describeTransform(transform: CovariateTransform, label: string, unit: string): string {
  if (transform.scale === "log2") return `per doubling of ${label}`;
  if (transform.scale === "log") return `per unit of ln(${label}) (a ${Math.E.toFixed(2)}-fold change)`;
  return `per ${transform.per} ${unit} of ${label}`.replace(/\s+/g, " ");
}

export interface TrialParticipants {
  label: string;
  points: readonly ParticipantPoint[];
}

/** The overall (unadjusted) treatment effect of a trial: a mean difference, or a log odds ratio. */
export interface TrialEffect {
  yi: number;
  vi: number;
}

export interface FittedTrial extends TrialInteraction {
  index: number;
  label: string;
  xMin: number;
  xMax: number;
  xMean: number;
  /** Null when the overall effect is not estimable (a log odds ratio with no events in either arm). */
  overall: TrialEffect | null;
}

export interface UnfittedTrial {
  index: number;
  label: string;
  n: number;
  problem: InteractionProblem | "separation";
  reason: string;
}

/** Every trial fitted, or noted with the reason it could not be. */
export function fitTrials(outcome: InteractionOutcome, trials: readonly TrialParticipants[]) {
  const fitted: FittedTrial[] = [];
  const notFitted: UnfittedTrial[] = [];
  trials.forEach((trial, index) => {
    try {
      const fit = fitInteraction(outcome, trial.points);
      fitted.push({ ...fit, index, label: trial.label, ...covariateRange(trial.points), overall: overallEffect(outcome, trial.points) });
    } catch (error) {
      if (error instanceof SeparationError) {
        notFitted.push({ index, label: trial.label, n: trial.points.length, problem: "separation", reason: error.message });
      } else if (error instanceof InteractionFitError) {
        notFitted.push({ index, label: trial.label, n: trial.points.length, problem: error.problem, reason: error.message });
      } else throw error;
    }
  });
  return { fitted, notFitted };
}

function covariateRange(points: readonly ParticipantPoint[]) {
  let xMin = Infinity;
  let xMax = -Infinity;
  let total = 0;
  for (const p of points) {
    xMin = Math.min(xMin, p.x);
    xMax = Math.max(xMax, p.x);
    total += p.x;
  }
  return { xMin, xMax, xMean: total / points.length };
}

function overallEffect(outcome: InteractionOutcome, points: readonly ParticipantPoint[]): TrialEffect | null {
  const arms = { intervention: [] as number[], comparator: [] as number[] };
  for (const p of points) arms[p.arm].push(p.y);
  const [treated, control] = [arms.intervention, arms.comparator];
  if (outcome === "binary") {
    const events = (ys: number[]) => ys.filter((y) => y === 1).length;
    const result = logOddsRatio({ events1: events(treated), n1: treated.length, events2: events(control), n2: control.length });
    return result.estimable ? { yi: result.yi, vi: result.vi } : null;
  }
  const moments = (ys: number[]) => {
    const m = ys.reduce((t, y) => t + y, 0) / ys.length;
    return { m, sd: Math.sqrt(ys.reduce((t, y) => t + (y - m) ** 2, 0) / (ys.length - 1)), n: ys.length };
  };
  const a = moments(treated);
  const b = moments(control);
  if (!(a.sd > 0) || !(b.sd > 0)) return null;
  return meanDifference({ m1: a.m, sd1: a.sd, n1: a.n, m2: b.m, sd2: b.sd, n2: b.n });
}

/** The pooled within-trial interaction: each trial's arm:x coefficient with variance se². */
export function poolInteractions(
  fitted: readonly Pick<FittedTrial, "label" | "interaction" | "se">[],
  options: PoolingOptions,
): PooledEffect {
  return poolEffects(
    fitted.map((t) => ({ label: t.label, yi: t.interaction, vi: t.se * t.se })),
    options,
  );
}

/**
 * The pooled treatment effect as a line in x: the pooled effect at a common
 * centre (each trial's line evaluated there, pooled by the same method) plus
 * the pooled interaction times the distance from it. The band treats the two
 * pooled estimates as independent, which they nearly are at the centre of the
 * data; it is drawn as a guide, the interaction's own CI is the inference.
 */
export interface PooledLine {
  centre: number;
  effectAtCentre: number;
  seAtCentre: number;
  slope: number;
  seSlope: number;
  /** The critical value both intervals use (z, or t under Knapp–Hartung). */
  crit: number;
}

export function pooledLine(fitted: readonly FittedTrial[], interaction: PooledEffect, options: PoolingOptions): PooledLine {
  const n = fitted.reduce((t, f) => t + f.n, 0);
  const centre = fitted.reduce((t, f) => t + f.n * f.xMean, 0) / n;
  const atCentre = poolEffects(
    fitted.map((f) => {
      const effect = effectAt(f, centre);
      return { label: f.label, yi: effect.estimate, vi: effect.se * effect.se };
    }),
    options,
  );
  return {
    centre,
    effectAtCentre: atCentre.estimate,
    seAtCentre: atCentre.se,
    slope: interaction.estimate,
    seSlope: interaction.se,
    crit: (interaction.ciUpper - interaction.estimate) / interaction.se || 1.959964,
  };
}

export function lineAt(line: PooledLine, x: number) {
  const estimate = line.effectAtCentre + line.slope * (x - line.centre);
  const half = line.crit * Math.sqrt(line.seAtCentre ** 2 + (x - line.centre) ** 2 * line.seSlope ** 2);
  return { estimate, lower: estimate - half, upper: estimate + half };
}

export interface AcrossTrials {
  regression: MetaRegression;
  /** p-value of the difference between the across-trial slope and the pooled within-trial interaction. */
  differenceP: number;
  disagree: boolean;
}

/** The across-trial slope as a check for ecological bias, or why it cannot be estimated. */
export function acrossTrials(
  fitted: readonly FittedTrial[],
  within: PooledEffect,
  options: PoolingOptions,
): { ok: true; value: AcrossTrials } | { ok: false; reason: string } {
  const usable = fitted.filter((f) => f.overall !== null);
  try {
    const regression = metaRegression(
      usable.map((f) => ({ yi: f.overall!.yi, vi: f.overall!.vi, moderator: f.xMean })),
      options,
    );
    const z = (regression.slope - within.estimate) / Math.sqrt(regression.seSlope ** 2 + within.se ** 2);
    const differenceP = normalTwoSidedP(z);
    return { ok: true, value: { regression, differenceP, disagree: differenceP < 0.05 } };
  } catch (error) {
    if (error instanceof MetaAnalysisError) return { ok: false, reason: error.message };
    throw error;
  }
}

export interface EffectModificationAnalysis {
  fitted: FittedTrial[];
  notFitted: UnfittedTrial[];
  /** Null when fewer than one trial could be pooled (everything excluded or unfittable). */
  pooled: PooledEffect | null;
  line: PooledLine | null;
  across: ReturnType<typeof acrossTrials> | null;
}

/** Fits each trial, then pools those not excluded (by index into `trials`). */
export function analyseEffectModification(
  outcome: InteractionOutcome,
  trials: readonly TrialParticipants[],
  options: PoolingOptions,
): EffectModificationAnalysis {
  const { fitted, notFitted } = fitTrials(outcome, trials);
  return { fitted, notFitted, ...poolFitted(fitted, options) };
}

/** Stage two alone, for the browser when a trial is excluded: pooled interaction, pooled line, across-trial check. */
export function poolFitted(fitted: readonly FittedTrial[], options: PoolingOptions) {
  if (fitted.length === 0) return { pooled: null, line: null, across: null };
  const pooled = poolInteractions(fitted, options);
  return { pooled, line: pooledLine(fitted, pooled, options), across: acrossTrials(fitted, pooled, options) };
}

/** The pooled interaction's numbers as the API and the page show them. */
export function summariseInteraction(pooled: PooledEffect) {
  const { k, estimate, se, ciLower, ciUpper, tau2, i2, q, qP, piLower, piUpper, pval } = pooled;
  return { k, estimate, se, ciLower, ciUpper, tau2, i2, q, qP, piLower, piUpper, pval };
}

/** A trial as the workspace view holds it: its fit (null when it could not be fitted) and the key exclusions name. */
export interface TrialWithFit {
  key: string;
  studyTitle: string;
  n: number;
  fit: Omit<FittedTrial, "index" | "label" | "n"> | null;
}

/** The numbers of a fitted trial that views and snapshots keep (not its place in the list, nor what pooling adds). */
export function fitNumbers(fit: FittedTrial): NonNullable<TrialWithFit["fit"]> {
  return {
    interaction: fit.interaction,
    se: fit.se,
    ciLower: fit.ciLower,
    ciUpper: fit.ciUpper,
    effectAtZero: fit.effectAtZero,
    varEffectAtZero: fit.varEffectAtZero,
    covEffectInteraction: fit.covEffectInteraction,
    df: fit.df,
    xMin: fit.xMin,
    xMax: fit.xMax,
    xMean: fit.xMean,
    overall: fit.overall,
  };
}

/**
 * Stage two for the workspace view, in plain numbers: the server answers with
 * it and the page calls it again when the user excludes a trial.
 */
export function poolTrials(trials: readonly TrialWithFit[], exclude: readonly string[], options: PoolingOptions) {
  const fitted = trials.flatMap((t, index) =>
    t.fit && !exclude.includes(t.key) ? [{ ...t.fit, index, label: t.studyTitle, n: t.n }] : [],
  );
  const { pooled, line, across } = poolFitted(fitted, options);
  return {
    pooled: pooled && {
      ...summariseInteraction(pooled),
      weights: Object.fromEntries(fitted.map((t, i) => [trials[t.index].key, pooled.weights[i]])),
    },
    line,
    across:
      across &&
      (across.ok
        ? {
            ok: true,
            k: across.value.regression.k,
            slope: across.value.regression.slope,
            seSlope: across.value.regression.seSlope,
            ciLower: across.value.regression.ciLower,
            ciUpper: across.value.regression.ciUpper,
            differenceP: across.value.differenceP,
            disagree: across.value.disagree,
          }
        : { ok: false, reason: across.reason }),
  };
}
