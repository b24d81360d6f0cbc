/**
 * Meta-regression on one moderator, as R's metafor fits it
 * (`rma(yi, vi, mods = ~ m, method = …)`): the trial-level effects regressed
 * on a trial-level value (the trial's mean biomarker) with inverse-variance
 * weights 1 / (vᵢ + τ²). τ² is the residual between-trial variance: 0 for FE,
 * the method of moments for DL, restricted maximum likelihood by Fisher
 * scoring for REML. Knapp–Hartung scales the covariance by the weighted
 * residual variance and uses t with k − 2 df.
 *
 * Used beside the within-trial analysis only as a check for ecological bias
 * (docs/domain.md): an across-trial slope is not evidence of effect modification.
 * Pure code.
 */
import { normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from "./distributions.ts";
import { MetaAnalysisError, type PoolingOptions, REML_MAX_ITERATIONS, REML_TOLERANCE } from "./meta-analysis.ts";

export interface ModeratedEffect {
  yi: number;
  vi: number;
  /** The trial's value of the moderator. */
  moderator: number;
}

export interface MetaRegression {
  k: number;
  intercept: number;
  slope: number;
  seSlope: number;
  ciLower: number;
  ciUpper: number;
  pval: number;
  tau2: number;
  test: "z" | "t";
}

interface Fit {
  beta: [number, number];
  /** (X'WX)⁻¹ as [a, b, d] for the symmetric [[a, b], [b, d]]. */
  inverse: [number, number, number];
  weights: number[];
  /** P y, where P = W − W X (X'WX)⁻¹ X' W. */
  py: number[];
  /** tr(P) and tr(PP). */
  traceP: number;
  tracePP: number;
}

/** Weighted least squares with the projection quantities REML and DL need. */
function weightedFit(effects: ModeratedEffect[], tau2: number): Fit {
  const w = effects.map((e) => 1 / (e.vi + tau2));
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let t0 = 0;
  let t1 = 0;
  effects.forEach((e, i) => {
    s0 += w[i];
    s1 += w[i] * e.moderator;
    s2 += w[i] * e.moderator * e.moderator;
    t0 += w[i] * e.yi;
    t1 += w[i] * e.moderator * e.yi;
  });
  const det = s0 * s2 - s1 * s1;
  const inverse: [number, number, number] = [s2 / det, -s1 / det, s0 / det];
  const beta: [number, number] = [inverse[0] * t0 + inverse[1] * t1, inverse[1] * t0 + inverse[2] * t1];
  const py = effects.map((e, i) => w[i] * (e.yi - beta[0] - beta[1] * e.moderator));
  // Hat values h_ii = w_i x_i' (X'WX)⁻¹ x_i; tr(P) = Σ w_i (1 − h_ii); tr(PP) = Σ_ij P_ij².
  const [a, b, d] = inverse;
  let traceP = 0;
  let tracePP = 0;
  for (let i = 0; i < effects.length; i++) {
    const mi = effects[i].moderator;
    for (let j = 0; j < effects.length; j++) {
      const mj = effects[j].moderator;
      const hat = w[i] * w[j] * (a + b * (mi + mj) + d * mi * mj);
      const pij = (i === j ? w[i] : 0) - hat;
      tracePP += pij * pij;
      if (i === j) traceP += pij;
    }
  }
  return { beta, inverse, weights: w, py, traceP, tracePP };
}

function dersimonianLaird(effects: ModeratedEffect[]): number {
  const fixed = weightedFit(effects, 0);
  const qResidual = fixed.py.reduce((t, pyi, i) => t + pyi * (effects[i].yi - fixed.beta[0] - fixed.beta[1] * effects[i].moderator), 0);
  return Math.max(0, (qResidual - (effects.length - 2)) / fixed.traceP);
}

function restrictedMaximumLikelihood(effects: ModeratedEffect[], maxIterations: number): number {
  let tau2 = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const fit = weightedFit(effects, tau2);
    // Y'PPY = |P y|².
    const yPPy = fit.py.reduce((t, v) => t + v * v, 0);
    let step = (yPPy - fit.traceP) / fit.tracePP;
    if (Number.isNaN(step)) step = 0;
    while (tau2 + step < 0) step /= 2;
    const previous = tau2;
    tau2 += step;
    if (Math.abs(tau2 - previous) <= REML_TOLERANCE) return tau2;
  }
  throw new MetaAnalysisError(
    "not_converged",
    `The REML estimate of τ² in the meta-regression did not converge in ${maxIterations} iterations.`,
  );
}

/** Fits the effects on their moderator; throws MetaAnalysisError when fewer than three trials or no spread in the moderator. */
export function metaRegression(effects: ModeratedEffect[], options: PoolingOptions): MetaRegression {
  const k = effects.length;
  if (k < 3) throw new MetaAnalysisError("no_effects", "A meta-regression on one moderator needs at least three trials.");
  if (effects.every((e) => e.moderator === effects[0].moderator)) {
    throw new MetaAnalysisError("invalid_effect", "Every trial has the same mean value of the moderator: there is no slope to estimate.");
  }
  const tau2 =
    options.method === "FE"
      ? 0
      : options.method === "DL"
        ? dersimonianLaird(effects)
        : restrictedMaximumLikelihood(effects, options.maxIterations ?? REML_MAX_ITERATIONS);
  const fit = weightedFit(effects, tau2);
  let varSlope = fit.inverse[2];
  let crit = normalQuantile(0.975);
  let test: "z" | "t" = "z";
  let pval: number;
  if (options.knha) {
    const residual = fit.py.reduce((t, pyi, i) => t + pyi * (effects[i].yi - fit.beta[0] - fit.beta[1] * effects[i].moderator), 0);
    varSlope *= residual / (k - 2);
    crit = studentTQuantile(0.975, k - 2);
    test = "t";
    pval = studentTTwoSidedP(fit.beta[1] / Math.sqrt(varSlope), k - 2);
  } else {
    pval = normalTwoSidedP(fit.beta[1] / Math.sqrt(varSlope));
  }
  const seSlope = Math.sqrt(varSlope);
  return {
    k,
    intercept: fit.beta[0],
    slope: fit.beta[1],
    seSlope,
    ciLower: fit.beta[1] - crit * seSlope,
    ciUpper: fit.beta[1] + crit * seSlope,
    pval,
    tau2,
    test,
  };
}
