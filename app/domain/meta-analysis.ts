/**
 * Pooling effect sizes across studies, as R's metafor does it (rma.uni for an
 * intercept-only model, then predict()), so that every number here can be
 * checked against the reference implementation researchers trust:
 *
 * - FE: inverse-variance fixed effect;
 * - DL: DerSimonian–Laird random effects;
 * - REML: restricted maximum likelihood by Fisher scoring from τ² = 0, with
 *   metafor's step halving at the boundary and its check that τ² = 0 is not a
 *   better maximum;
 * - Knapp–Hartung (metafor's test = "knha"): the standard error scaled by the
 *   weighted residual variance, t with k − 1 df for the CI and the prediction
 *   interval;
 * - Q always from fixed-effect weights; I² and H² for random effects from
 *   metafor's "typical" within-study variance, for FE from Q;
 * - subgroups: a separate model (own τ²) per subgroup, and the test for
 *   subgroup differences as a fixed-effect Q over the subgroup estimates.
 *
 * Pure code, for browser and server alike.
 */
import { chiSquareUpperTail, normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from "#app/domain/distributions.ts";

export const POOLING_METHODS = ["FE", "DL", "REML"] as const;
export type PoolingMethod = (typeof POOLING_METHODS)[number];

export interface StudyEffect {
  label?: string;
  /** The effect on the analysis scale (log scale for ratios). */
  yi: number;
  /** Its sampling variance (> 0). */
  vi: number;
}

export interface PoolingOptions {
  method: PoolingMethod;
  /** Knapp–Hartung adjustment of the standard error, with t instead of z. */
  knha?: boolean;
  /** Most Fisher scoring iterations for REML (metafor's control maxiter); REML_MAX_ITERATIONS unless given. */
  maxIterations?: number;
}

export interface PooledEffect {
  method: PoolingMethod;
  /** Whether the Knapp–Hartung adjustment was applied (it is not for a single study, as in metafor). */
  knha: boolean;
  k: number;
  estimate: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  tau2: number;
  /** Percent. */
  i2: number;
  h2: number;
  q: number;
  qDf: number;
  qP: number;
  piLower: number;
  piUpper: number;
  /** Each study's share of the total weight, in percent, in input order (metafor's weights()). */
  weights: number[];
  test: "z" | "t";
  /** The z statistic (test "z") or the t statistic with `df` degrees of freedom (test "t"). */
  zval?: number;
  tval?: number;
  df?: number;
  pval: number;
}

export type MetaAnalysisProblem = "no_effects" | "invalid_effect" | "not_converged";

/** Input a meta-analysis cannot work with, or a model that cannot be fitted. */
export class MetaAnalysisError extends Error {
  constructor(
    readonly problem: MetaAnalysisProblem,
    message: string,
    /** The offending effect's index, for invalid_effect. */
    readonly index?: number,
    readonly field?: "yi" | "vi",
  ) {
    super(message);
    this.name = "MetaAnalysisError";
  }
}

/** Fisher scoring stops when τ² moves by less than this. */
export const REML_TOLERANCE = 1e-10;
export const REML_MAX_ITERATIONS = 1000;
// metafor's control defaults for the τ² = 0 check after fitting.
const LL0_TOLERANCE = Number.EPSILON ** 0.25;
const Z_975 = normalQuantile(0.975);

const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);

function checkEffects(effects: StudyEffect[]) {
  if (effects.length === 0) throw new MetaAnalysisError("no_effects", "Pooling needs at least one effect.");
  effects.forEach((effect, index) => {
    if (!Number.isFinite(effect.yi)) {
      throw new MetaAnalysisError("invalid_effect", `Effect ${index}: yi must be a finite number.`, index, "yi");
    }
    if (!Number.isFinite(effect.vi) || !(effect.vi > 0)) {
      throw new MetaAnalysisError("invalid_effect", `Effect ${index}: vi must be a finite number above 0.`, index, "vi");
    }
  });
}

/**
 * The weighted mean of y, taken as a shift from the first value so that a single
 * study or identical effects give back their value exactly.
 */
function weightedMean(y: number[], w: number[]) {
  const anchor = y[0];
  return anchor + sum(y.map((yi, i) => w[i] * (yi - anchor))) / sum(w);
}

/** Cochran's Q with fixed-effect weights, and tr(P) of the fixed-effect model (the denominator of DL and of s²). */
function heterogeneity(y: number[], v: number[]) {
  const w = v.map((vi) => 1 / vi);
  const total = sum(w);
  const mean = weightedMean(y, w);
  const q = Math.max(0, sum(y.map((yi, i) => w[i] * (yi - mean) ** 2)));
  const traceP = total - sum(w.map((wi) => wi * wi)) / total;
  return { q, traceP };
}

function dersimonianLaird(y: number[], v: number[]): number {
  const { q, traceP } = heterogeneity(y, v);
  return Math.max(0, (q - (y.length - 1)) / traceP);
}

/** The restricted log-likelihood of an intercept-only model at τ² (up to the constant metafor also keeps). */
function restrictedLogLikelihood(y: number[], v: number[], tau2: number): number {
  const w = v.map((vi) => 1 / (vi + tau2));
  const total = sum(w);
  const mean = weightedMean(y, w);
  const rss = sum(y.map((yi, i) => w[i] * (yi - mean) ** 2));
  return -0.5 * (y.length - 1) * Math.log(2 * Math.PI) - 0.5 * sum(v.map((vi) => Math.log(vi + tau2))) - 0.5 * Math.log(total) - 0.5 * rss;
}

/**
 * REML τ² by Fisher scoring, step for step as metafor: start at 0, step by
 * (Y'PPY − tr P) / tr(PP), halve a step that would leave τ² ≥ 0.
 */
function restrictedMaximumLikelihood(y: number[], v: number[], maxIterations: number): number {
  const mean = sum(y) / y.length;
  const centred = y.map((yi) => yi - mean);
  let tau2 = 0;
  let converged = false;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const w = v.map((vi) => 1 / (vi + tau2));
    const total = sum(w);
    const sumW2 = sum(w.map((wi) => wi * wi));
    const sumW3 = sum(w.map((wi) => wi * wi * wi));
    const fitted = weightedMean(centred, w);
    // For an intercept-only model P = W − w w'/Σw, so PY = w ∘ (y − ŷ).
    const yPPy = sum(centred.map((yi, i) => (w[i] * (yi - fitted)) ** 2));
    const traceP = total - sumW2 / total;
    const tracePP = sumW2 - (2 * sumW3) / total + (sumW2 * sumW2) / (total * total);
    let step = (yPPy - traceP) / tracePP;
    if (Number.isNaN(step)) step = 0;
    while (tau2 + step < 0) step /= 2;
    const previous = tau2;
    tau2 += step;
    if (Math.abs(tau2 - previous) <= REML_TOLERANCE) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    throw new MetaAnalysisError(
      "not_converged",
      `The REML estimate of τ² did not converge in ${maxIterations} iterations; try DL, or check the effects for extreme values.`,
    );
  }
  // Like metafor: if τ² = 0 fits better than where the iterations ended, the search was stuck.
  if (tau2 > REML_TOLERANCE && restrictedLogLikelihood(y, v, 0) - restrictedLogLikelihood(y, v, tau2) > LL0_TOLERANCE) return 0;
  return tau2;
}

function estimateTau2(y: number[], v: number[], options: PoolingOptions): number {
  if (y.length === 1 || options.method === "FE") return 0;
  if (options.method === "DL") return dersimonianLaird(y, v);
  return restrictedMaximumLikelihood(y, v, options.maxIterations ?? REML_MAX_ITERATIONS);
}

/** Pools effects by one of metafor's estimators; throws MetaAnalysisError for unusable input. */
export function poolEffects(effects: StudyEffect[], options: PoolingOptions): PooledEffect {
  checkEffects(effects);
  const { method } = options;
  const y = effects.map((e) => e.yi);
  const v = effects.map((e) => e.vi);
  const k = effects.length;
  // A single study has no between-study variance and no residual to scale by: metafor falls back to z.
  const knha = Boolean(options.knha) && k > 1;

  const tau2 = estimateTau2(y, v, options);
  const w = v.map((vi) => 1 / (vi + tau2));
  const totalWeight = sum(w);
  const estimate = weightedMean(y, w);
  let se = Math.sqrt(1 / totalWeight);

  let crit: number;
  let statistics: Pick<PooledEffect, "test" | "zval" | "tval" | "df" | "pval">;
  if (knha) {
    const residual = sum(y.map((yi, i) => w[i] * (yi - estimate) ** 2));
    // metafor treats a residual within machine precision of 0 as 0 (identical effects).
    const scale = residual <= Number.EPSILON ? 0 : residual / (k - 1);
    se *= Math.sqrt(scale);
    const df = k - 1;
    crit = studentTQuantile(0.975, df);
    const tval = estimate / se;
    statistics = { test: "t", tval, df, pval: studentTTwoSidedP(tval, df) };
  } else {
    crit = Z_975;
    const zval = estimate / se;
    statistics = { test: "z", zval, pval: normalTwoSidedP(zval) };
  }

  let q = 0;
  let qP = 1;
  let i2 = 0;
  let h2 = 1;
  if (k > 1) {
    const fixed = heterogeneity(y, v);
    q = fixed.q;
    qP = chiSquareUpperTail(q, k - 1);
    if (method === "FE") {
      // Q = 0 (identical effects) gives max(0, −∞) = 0, as in metafor.
      i2 = Math.max(0, (100 * (q - (k - 1))) / q);
      h2 = q / (k - 1);
    } else {
      const typicalVariance = (k - 1) / fixed.traceP;
      i2 = (100 * tau2) / (typicalVariance + tau2);
      h2 = tau2 / typicalVariance + 1;
    }
  }

  const predictionSe = Math.sqrt(se * se + tau2);
  return {
    method,
    knha,
    k,
    estimate,
    se,
    ciLower: estimate - crit * se,
    ciUpper: estimate + crit * se,
    tau2,
    i2,
    h2,
    q,
    qDf: k - 1,
    qP,
    piLower: estimate - crit * predictionSe,
    piUpper: estimate + crit * predictionSe,
    weights: w.map((wi) => (100 * wi) / totalWeight),
    ...statistics,
  };
}

export interface SubgroupDifferenceTest {
  /** Q between subgroups: a fixed-effect Q over the subgroup estimates and their standard errors. */
  q: number;
  df: number;
  p: number;
}

export interface SubgroupAnalysis {
  groups: Record<string, PooledEffect>;
  /** Null with fewer than two subgroups. */
  test: SubgroupDifferenceTest | null;
}

/**
 * One model per subgroup, each with its own τ² (as metafor's separate fits and
 * RevMan's random-effects subgroups), then the test for subgroup differences:
 * Q = Σ (μ_g − μ̄)² / se_g² with μ̄ weighted by 1/se_g², on G − 1 df.
 * An error in one subgroup names it.
 */
export function subgroupAnalysis(groups: Record<string, StudyEffect[]>, options: PoolingOptions): SubgroupAnalysis {
  const pooled: Record<string, PooledEffect> = {};
  for (const [name, effects] of Object.entries(groups)) {
    try {
      pooled[name] = poolEffects(effects, options);
    } catch (error) {
      if (error instanceof MetaAnalysisError) {
        throw new MetaAnalysisError(error.problem, `Subgroup "${name}": ${error.message}`, error.index, error.field);
      }
      throw error;
    }
  }
  const results = Object.values(pooled);
  if (results.length < 2) return { groups: pooled, test: null };
  const y = results.map((r) => r.estimate);
  const w = results.map((r) => 1 / (r.se * r.se));
  if (w.some((wi) => !Number.isFinite(wi))) {
    // A subgroup with a zero standard error (identical effects under Knapp–Hartung) leaves the test undefined.
    return { groups: pooled, test: null };
  }
  const mean = weightedMean(y, w);
  const q = Math.max(0, sum(y.map((yi, i) => w[i] * (yi - mean) ** 2)));
  const df = results.length - 1;
  return { groups: pooled, test: { q, df, p: chiSquareUpperTail(q, df) } };
}
