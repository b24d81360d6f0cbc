/**
 * Effect sizes and their sampling variances, computed as R's metafor `escalc`
 * computes them, so a number here can be checked against the reference
 * implementation researchers trust:
 *
 * - SMD: Hedges' g, with metafor's exact small-sample correction and its
 *   default large-sample variance (vtype = "LS");
 * - MD: the raw mean difference with the heteroscedastic variance (vtype = "LS");
 * - OR / RR: log odds ratio and log risk ratio from 2×2 counts, adding 1/2 to
 *   every cell of a study only when one of its cells is zero (add = 1/2,
 *   to = "only0"). A study with no events in either arm, or only events in
 *   both, carries no information on a ratio; it is reported as not estimable
 *   (metafor's drop00 = TRUE) instead of being given an invented value;
 * - any measure from a reported estimate with its 95% confidence interval
 *   (ratio measures on the log scale).
 *
 * Pure code, for browser and server alike.
 */
import { logGamma, normalQuantile } from "#app/domain/distributions.ts";

export const EFFECT_MEASURES = ["SMD", "MD", "OR", "RR"] as const;
export type EffectMeasure = (typeof EFFECT_MEASURES)[number];
export const RATIO_MEASURES: readonly EffectMeasure[] = ["OR", "RR"];

/** An effect on the analysis scale (log scale for ratios) with its sampling variance. */
export interface EffectSize {
  yi: number;
  vi: number;
}

export type EffectSizeOutcome = ({ estimable: true } & EffectSize) | { estimable: false; reason: string };

/** Input that cannot describe a real study (n < 2, sd ≤ 0, more events than participants…). */
export class ImpossibleInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ImpossibleInputError";
  }
}

export interface ContinuousArms {
  m1: number;
  sd1: number;
  n1: number;
  m2: number;
  sd2: number;
  n2: number;
}

export interface BinaryArms {
  /** Participants with the event in group 1 (metafor's ai) and group 1's size (n1i). */
  events1: number;
  n1: number;
  /** Participants with the event in group 2 (ci) and group 2's size (n2i). */
  events2: number;
  n2: number;
}

export interface ReportedEstimate {
  /** The estimate as reported: a ratio for OR/RR, a difference for SMD/MD. */
  estimate: number;
  ciLower: number;
  ciUpper: number;
}

function requireFinite(field: string, value: number) {
  if (!Number.isFinite(value)) throw new ImpossibleInputError(field, `${field} must be a finite number.`);
}

function requireGroupSize(field: string, n: number) {
  requireFinite(field, n);
  if (!Number.isInteger(n) || n < 2) throw new ImpossibleInputError(field, `${field} must be a whole number of at least 2.`);
}

function requirePositiveSd(field: string, sd: number) {
  requireFinite(field, sd);
  if (!(sd > 0)) throw new ImpossibleInputError(field, `${field} must be greater than 0.`);
}

function checkContinuous(arms: ContinuousArms) {
  requireFinite("m1", arms.m1);
  requireFinite("m2", arms.m2);
  requirePositiveSd("sd1", arms.sd1);
  requirePositiveSd("sd2", arms.sd2);
  requireGroupSize("n1", arms.n1);
  requireGroupSize("n2", arms.n2);
}

/**
 * metafor's exact correction factor J(m) = Γ(m/2) / (√(m/2) Γ((m−1)/2)),
 * computed on the log scale so that large samples do not overflow.
 */
export function hedgesCorrection(m: number): number {
  if (!(m > 1)) throw new RangeError(`The small-sample correction needs more than 1 degree of freedom, not ${m}.`);
  return Math.exp(logGamma(m / 2) - Math.log(Math.sqrt(m / 2)) - logGamma((m - 1) / 2));
}

/** Hedges' g (group 1 minus group 2) and its large-sample variance, as escalc(measure = "SMD"). */
export function standardisedMeanDifference(arms: ContinuousArms): EffectSize {
  checkContinuous(arms);
  const { m1, sd1, n1, m2, sd2, n2 } = arms;
  const pooledSd = Math.sqrt(((n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2) / (n1 + n2 - 2));
  const yi = (hedgesCorrection(n1 + n2 - 2) * (m1 - m2)) / pooledSd;
  const vi = 1 / n1 + 1 / n2 + (yi * yi) / (2 * (n1 + n2));
  return { yi, vi };
}

/** The raw mean difference (group 1 minus group 2), as escalc(measure = "MD"). */
export function meanDifference(arms: ContinuousArms): EffectSize {
  checkContinuous(arms);
  const { m1, sd1, n1, m2, sd2, n2 } = arms;
  return { yi: m1 - m2, vi: (sd1 * sd1) / n1 + (sd2 * sd2) / n2 };
}

function checkBinary({ events1, n1, events2, n2 }: BinaryArms) {
  for (const [field, value] of [
    ["events1", events1],
    ["n1", n1],
    ["events2", events2],
    ["n2", n2],
  ] as const) {
    requireFinite(field, value);
    if (!Number.isInteger(value) || value < 0) throw new ImpossibleInputError(field, `${field} must be a whole number of at least 0.`);
  }
  if (n1 < 1) throw new ImpossibleInputError("n1", "n1 must be at least 1.");
  if (n2 < 1) throw new ImpossibleInputError("n2", "n2 must be at least 1.");
  if (events1 > n1) throw new ImpossibleInputError("events1", `events1 (${events1}) cannot exceed n1 (${n1}).`);
  if (events2 > n2) throw new ImpossibleInputError("events2", `events2 (${events2}) cannot exceed n2 (${n2}).`);
}

/** The 2×2 table, with 1/2 added to every cell when any cell is zero (escalc's add = 1/2, to = "only0"). */
function twoByTwo({ events1, n1, events2, n2 }: BinaryArms) {
  const cells = { a: events1, b: n1 - events1, c: events2, d: n2 - events2 };
  const anyZero = cells.a === 0 || cells.b === 0 || cells.c === 0 || cells.d === 0;
  return anyZero ? { a: cells.a + 0.5, b: cells.b + 0.5, c: cells.c + 0.5, d: cells.d + 0.5 } : cells;
}

/** Why a 2×2 table says nothing about a ratio, or null when it does. */
function notEstimableReason({ events1, n1, events2, n2 }: BinaryArms): string | null {
  if (events1 === 0 && events2 === 0) return "No events in either group: the ratio is not estimable.";
  if (events1 === n1 && events2 === n2) return "Every participant had the event in both groups: the ratio is not estimable.";
  return null;
}

/** The log odds ratio (group 1 vs group 2), as escalc(measure = "OR"). */
export function logOddsRatio(arms: BinaryArms): EffectSizeOutcome {
  checkBinary(arms);
  const reason = notEstimableReason(arms);
  if (reason) return { estimable: false, reason };
  const { a, b, c, d } = twoByTwo(arms);
  return { estimable: true, yi: Math.log((a * d) / (b * c)), vi: 1 / a + 1 / b + 1 / c + 1 / d };
}

/** The log risk ratio (group 1 vs group 2), as escalc(measure = "RR"). */
export function logRiskRatio(arms: BinaryArms): EffectSizeOutcome {
  checkBinary(arms);
  const reason = notEstimableReason(arms);
  if (reason) return { estimable: false, reason };
  const { a, b, c, d } = twoByTwo(arms);
  return { estimable: true, yi: Math.log(a / (a + b) / (c / (c + d))), vi: 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) };
}

const Z_975 = normalQuantile(0.975);

/**
 * An effect from a reported estimate and its 95% CI. Ratios (OR, RR) are taken
 * to the log scale, where their CI is symmetric: yi = log(estimate),
 * vi = ((log(upper) − log(lower)) / (2 · z₀.₉₇₅))², as metafor's conv.wald does.
 */
export function effectFromConfidenceInterval(measure: EffectMeasure, reported: ReportedEstimate): EffectSize {
  const { estimate, ciLower, ciUpper } = reported;
  requireFinite("estimate", estimate);
  requireFinite("ciLower", ciLower);
  requireFinite("ciUpper", ciUpper);
  const ratio = RATIO_MEASURES.includes(measure);
  if (ratio) {
    if (!(estimate > 0)) throw new ImpossibleInputError("estimate", `An ${measure} is greater than 0.`);
    if (!(ciLower > 0)) throw new ImpossibleInputError("ciLower", `The lower limit of an ${measure}'s CI is greater than 0.`);
  }
  if (!(ciUpper > ciLower)) throw new ImpossibleInputError("ciUpper", "The upper limit of the CI must be above the lower limit.");
  if (estimate < ciLower || estimate > ciUpper) {
    throw new ImpossibleInputError("estimate", "The estimate must lie within its confidence interval.");
  }
  const scale = ratio ? Math.log : (x: number) => x;
  const se = (scale(ciUpper) - scale(ciLower)) / (2 * Z_975);
  return { yi: scale(estimate), vi: se * se };
}

export type EffectSizeInput =
  | ({ measure: "SMD" | "MD" } & ContinuousArms)
  | ({ measure: "OR" | "RR" } & BinaryArms)
  | ({ measure: EffectMeasure } & ReportedEstimate);

/** One study's effect from whatever it reports; throws ImpossibleInputError for impossible numbers. */
export function computeEffectSize(input: EffectSizeInput): EffectSizeOutcome {
  if ("estimate" in input) return { estimable: true, ...effectFromConfidenceInterval(input.measure, input) };
  switch (input.measure) {
    case "SMD":
      return { estimable: true, ...standardisedMeanDifference(input as ContinuousArms) };
    case "MD":
      return { estimable: true, ...meanDifference(input as ContinuousArms) };
    case "OR":
      return logOddsRatio(input as BinaryArms);
    case "RR":
      return logRiskRatio(input as BinaryArms);
  }
}
