/**
 * The treatment × covariate interaction within one trial, from its
 * participants: `y ~ arm + x + arm:x` with the intervention coded 1, by least
 * squares for a continuous outcome (R's lm) and by maximum likelihood for a
 * binary one (R's glm with family = binomial).
 *
 * That model gives each arm its own intercept and slope, so it separates into
 * one simple regression per arm: the interaction is the intervention arm's
 * slope minus the comparator's, and the treatment effect at x is the
 * difference of the two fitted lines. Fitting each arm on its own centred x
 * is exact and numerically kinder than inverting the 4 × 4 cross-product.
 * For lm the arms share one residual variance on n − 4 degrees of freedom,
 * as R's does; for glm the arms' estimates are independent.
 *
 * Pure code, for browser and server alike (docs/domain.md, "Who benefits").
 */
import { normalQuantile, studentTQuantile } from "./distributions.ts";

export type InteractionOutcome = "continuous" | "binary";
export const TRIAL_ARMS = ["intervention", "comparator"] as const;
export type TrialArm = (typeof TRIAL_ARMS)[number];

export interface ParticipantPoint {
  arm: TrialArm;
  /** The covariate, already on the analysis scale (log, per doubling, per 5 units: the caller transforms it). */
  x: number;
  /** The outcome: any number for a continuous outcome, 0 or 1 for a binary one. */
  y: number;
}

/** One trial's fit: the interaction and the treatment effect as a line in x, with the line's covariance. */
export interface TrialInteraction {
  n: number;
  /** The arm:x coefficient: how much the treatment effect changes per unit of x. */
  interaction: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  /** The treatment effect at x = 0 (the arm coefficient); the effect at x is effectAtZero + interaction·x. */
  effectAtZero: number;
  varEffectAtZero: number;
  covEffectInteraction: number;
  /** Degrees of freedom of the per-trial interval: n − 4 for lm (t), null for glm (Wald z, R's confint.default). */
  df: number | null;
}

export type InteractionProblem = "too_few_rows" | "one_arm" | "no_variation" | "not_binary" | "no_residual_variation" | "not_converged";

/** A trial the model cannot be fitted to, and why, in words a researcher can act on. */
export class InteractionFitError extends Error {
  constructor(
    readonly problem: InteractionProblem,
    message: string,
  ) {
    super(message);
    this.name = "InteractionFitError";
  }
}

/** A logistic fit whose maximum likelihood estimate does not exist: the trial is noted and left out of the pooling. */
export class SeparationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeparationError";
  }
}

/** The effect (treatment vs comparator) a trial's line gives at x, with its standard error. */
export function effectAt(
  fit: Pick<TrialInteraction, "effectAtZero" | "varEffectAtZero" | "covEffectInteraction" | "interaction" | "se">,
  x: number,
) {
  const variance = fit.varEffectAtZero + 2 * x * fit.covEffectInteraction + x * x * fit.se * fit.se;
  return { estimate: fit.effectAtZero + fit.interaction * x, se: Math.sqrt(Math.max(0, variance)) };
}

interface ArmLine {
  n: number;
  xMean: number;
  /** Intercept at x = 0, slope, and their (co)variances, up to the residual variance for lm. */
  intercept: number;
  slope: number;
  varIntercept: number;
  varSlope: number;
  covInterceptSlope: number;
}

const Z_975 = normalQuantile(0.975);
export const MIN_TRIAL_ROWS = 4;

function splitArms(points: readonly ParticipantPoint[]) {
  const arms: Record<TrialArm, { x: number[]; y: number[] }> = { intervention: { x: [], y: [] }, comparator: { x: [], y: [] } };
  for (const p of points) {
    arms[p.arm].x.push(p.x);
    arms[p.arm].y.push(p.y);
  }
  return arms;
}

function checkCommon(points: readonly ParticipantPoint[], arms: ReturnType<typeof splitArms>) {
  if (points.length < MIN_TRIAL_ROWS) {
    throw new InteractionFitError(
      "too_few_rows",
      `has ${points.length} participant(s) with both values; the model needs at least ${MIN_TRIAL_ROWS}.`,
    );
  }
  for (const arm of TRIAL_ARMS) {
    if (arms[arm].x.length === 0)
      throw new InteractionFitError("one_arm", `has no participants in the ${arm} arm; the model compares two arms.`);
  }
  for (const arm of TRIAL_ARMS) {
    const xs = arms[arm].x;
    if (xs.every((x) => x === xs[0])) {
      throw new InteractionFitError(
        "no_variation",
        `has no variation in x within the ${arm} arm (every value is ${xs[0]}); the interaction cannot be estimated.`,
      );
    }
  }
}

const mean = (values: number[]) => values.reduce((t, v) => t + v, 0) / values.length;

/** Least squares in one arm on centred x: slope, intercept at 0, residual sum of squares, and the unscaled covariances. */
function leastSquaresLine(x: number[], y: number[]) {
  const xMean = mean(x);
  const yMean = mean(y);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - xMean;
    const dy = y[i] - yMean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const line: ArmLine = {
    n: x.length,
    xMean,
    intercept: yMean - slope * xMean,
    slope,
    varIntercept: 1 / x.length + (xMean * xMean) / sxx,
    varSlope: 1 / sxx,
    covInterceptSlope: -xMean / sxx,
  };
  return { line, rss: Math.max(0, syy - slope * sxy) };
}

/** The 95% interval a trial's interaction is reported with: t on `df` for lm (confint), Wald z for glm (confint.default, df null). */
export function interactionInterval(estimate: number, se: number, df: number | null) {
  const crit = df === null ? Z_975 : studentTQuantile(0.975, df);
  return { ciLower: estimate - crit * se, ciUpper: estimate + crit * se };
}

function combine(intervention: ArmLine, comparator: ArmLine, scale: number, df: number | null): TrialInteraction {
  const interaction = intervention.slope - comparator.slope;
  const se = Math.sqrt(scale * (intervention.varSlope + comparator.varSlope));
  return {
    n: intervention.n + comparator.n,
    interaction,
    se,
    ...interactionInterval(interaction, se, df),
    effectAtZero: intervention.intercept - comparator.intercept,
    varEffectAtZero: scale * (intervention.varIntercept + comparator.varIntercept),
    covEffectInteraction: scale * (intervention.covInterceptSlope + comparator.covInterceptSlope),
    df,
  };
}

/** `lm(y ~ arm + x + arm:x)`: the arm:x coefficient with its t interval on n − 4 df. */
export function fitLinearInteraction(points: readonly ParticipantPoint[]): TrialInteraction {
  const arms = splitArms(points);
  checkCommon(points, arms);
  const df = points.length - 4;
  if (df < 1) {
    throw new InteractionFitError(
      "too_few_rows",
      `has ${points.length} participants; a continuous outcome needs at least 5 (four coefficients and one residual degree of freedom).`,
    );
  }
  const intervention = leastSquaresLine(arms.intervention.x, arms.intervention.y);
  const comparator = leastSquaresLine(arms.comparator.x, arms.comparator.y);
  const sigma2 = (intervention.rss + comparator.rss) / df;
  if (!(sigma2 > 0)) {
    throw new InteractionFitError(
      "no_residual_variation",
      "has outcomes lying exactly on a line in each arm; there is no residual variation to estimate an error from.",
    );
  }
  return combine(intervention.line, comparator.line, sigma2, df);
}

/** The largest change in any participant's log odds at which a Newton step counts as converged. */
const STEP_TOLERANCE = 1e-8;
/** The relative rounding of a log-likelihood summed over up to 250,000 participants (at worst about n·ε ≈ 6e-11). */
const LOG_LIKELIHOOD_ROUNDING = 1e-10;
const LOGISTIC_MAX_ITERATIONS = 100;
const MAX_HALVINGS = 40;

/** log(1 + e^η), without overflow. */
const softplus = (eta: number) => (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));

function logLikelihood(x: number[], y: number[], a: number, b: number) {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const eta = a + b * x[i];
    total += y[i] * eta - softplus(eta);
  }
  return total;
}

/**
 * One arm's logistic line by Newton–Raphson (IRLS) on centred x with step
 * halving: a step that lowers the likelihood (by more than its rounding) is
 * halved until it does not.
 * The caller has ruled out separation, so the maximum exists and is unique.
 */
function logisticLine(x: number[], y: number[], arm: TrialArm): ArmLine {
  const xMean = mean(x);
  const xc = x.map((v) => v - xMean);
  const xSpread = xc.reduce((most, v) => Math.max(most, Math.abs(v)), 0);
  const rate = mean(y);
  let a = Math.log(rate / (1 - rate));
  let b = 0;
  let ll = logLikelihood(xc, y, a, b);
  for (let iteration = 0; iteration < LOGISTIC_MAX_ITERATIONS; iteration++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (let i = 0; i < xc.length; i++) {
      const p = 1 / (1 + Math.exp(-(a + b * xc[i])));
      const w = p * (1 - p);
      const r = y[i] - p;
      g0 += r;
      g1 += r * xc[i];
      h00 += w;
      h01 += w * xc[i];
      h11 += w * xc[i] * xc[i];
    }
    const det = h00 * h11 - h01 * h01;
    let stepA = (h11 * g0 - h01 * g1) / det;
    let stepB = (h00 * g1 - h01 * g0) / det;
    // Converged when the Newton step moves no participant's log odds by more than STEP_TOLERANCE: taken whole,
    // it leaves an error of the order of its square. This is judged on the full step, before any halving:
    // this close to the maximum a step gains less than the log-likelihood's rounding, so a halving test
    // shrinks a good step to nothing, and stopping there left a small interaction wrong by 1e-5 relative.
    if (Math.abs(stepA) + Math.abs(stepB) * xSpread < STEP_TOLERANCE * (1 + Math.abs(a) + Math.abs(b) * xSpread)) {
      return logisticCovariance(xc, a + stepA, b + stepB, xMean);
    }
    // A step overshoots when it lowers the log-likelihood by more than the sum's rounding.
    const lowest = ll - LOG_LIKELIHOOD_ROUNDING * (Math.abs(ll) + 1);
    let next = logLikelihood(xc, y, a + stepA, b + stepB);
    let halvings = 0;
    while (!(next >= lowest) && halvings < MAX_HALVINGS) {
      stepA /= 2;
      stepB /= 2;
      next = logLikelihood(xc, y, a + stepA, b + stepB);
      halvings++;
    }
    if (!(next >= lowest)) break;
    a += stepA;
    b += stepB;
    ll = next;
  }
  throw new InteractionFitError(
    "not_converged",
    `could not be fitted: the logistic model for the ${arm} arm did not converge in ${LOGISTIC_MAX_ITERATIONS} iterations.`,
  );
}

/** The inverse information at the estimate, moved from centred x back to x. */
function logisticCovariance(xc: number[], a: number, b: number, xMean: number): ArmLine {
  let h00 = 0;
  let h01 = 0;
  let h11 = 0;
  for (const v of xc) {
    const p = 1 / (1 + Math.exp(-(a + b * v)));
    const w = p * (1 - p);
    h00 += w;
    h01 += w * v;
    h11 += w * v * v;
  }
  const det = h00 * h11 - h01 * h01;
  const varA = h11 / det;
  const varB = h00 / det;
  const cov = -h01 / det;
  return {
    n: xc.length,
    xMean,
    intercept: a - b * xMean,
    slope: b,
    varIntercept: varA - 2 * xMean * cov + xMean * xMean * varB,
    varSlope: varB,
    covInterceptSlope: cov - xMean * varB,
  };
}

/**
 * With one covariate, a logistic line has no finite maximum exactly when some
 * value of x splits the arm's events from its non-events (complete or
 * quasi-complete separation), or when every participant had the same outcome.
 */
function separationIn(x: number[], y: number[], arm: TrialArm): string | null {
  let events = 0;
  let maxEvent = -Infinity;
  let minEvent = Infinity;
  let maxNonEvent = -Infinity;
  let minNonEvent = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (y[i] === 1) {
      events++;
      maxEvent = Math.max(maxEvent, x[i]);
      minEvent = Math.min(minEvent, x[i]);
    } else {
      maxNonEvent = Math.max(maxNonEvent, x[i]);
      minNonEvent = Math.min(minNonEvent, x[i]);
    }
  }
  if (events === 0) return `no participant in the ${arm} arm had the event`;
  if (events === x.length) return `every participant in the ${arm} arm had the event`;
  if (maxNonEvent <= minEvent)
    return `in the ${arm} arm, x separates the events (all at x ≥ ${minEvent}) from the non-events (all at x ≤ ${maxNonEvent})`;
  if (maxEvent <= minNonEvent)
    return `in the ${arm} arm, x separates the events (all at x ≤ ${maxEvent}) from the non-events (all at x ≥ ${minNonEvent})`;
  return null;
}

/** `glm(y ~ arm + x + arm:x, family = binomial)`: the arm:x log odds ratio with its Wald interval. */
export function fitLogisticInteraction(points: readonly ParticipantPoint[]): TrialInteraction {
  const arms = splitArms(points);
  checkCommon(points, arms);
  for (const arm of TRIAL_ARMS) {
    const bad = arms[arm].y.find((y) => y !== 0 && y !== 1);
    if (bad !== undefined)
      throw new InteractionFitError("not_binary", `has an outcome of ${bad} in the ${arm} arm; a binary outcome is 0 or 1.`);
  }
  for (const arm of TRIAL_ARMS) {
    const reason = separationIn(arms[arm].x, arms[arm].y, arm);
    if (reason) throw new SeparationError(`Left out of the pooling: ${reason}, so the logistic model has no finite estimate (separation).`);
  }
  const intervention = logisticLine(arms.intervention.x, arms.intervention.y, "intervention");
  const comparator = logisticLine(arms.comparator.x, arms.comparator.y, "comparator");
  return combine(intervention, comparator, 1, null);
}

export function fitInteraction(outcome: InteractionOutcome, points: readonly ParticipantPoint[]): TrialInteraction {
  return outcome === "binary" ? fitLogisticInteraction(points) : fitLinearInteraction(points);
}
