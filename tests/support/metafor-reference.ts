/**
 * The reference values R's metafor computed (tests/fixtures/metafor/make-reference.R
 * writes tests/fixtures/metafor/reference.json), typed for the tests that compare
 * against them. Non-finite values are null in the JSON.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export interface ReferenceEffect {
  label: string;
  yi: number;
  vi: number;
}

export interface ReferenceModelResult {
  k: number;
  estimate: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  tau2: number;
  i2: number;
  h2: number;
  q: number;
  qDf: number;
  qP: number;
  piLower: number;
  piUpper: number;
  weights: number[];
  test: "z" | "t";
  zval?: number | null;
  tval?: number | null;
  df?: number;
  pval: number;
}

export interface ReferenceModel {
  name: string;
  method: "FE" | "DL" | "REML";
  knha: boolean;
  effects: ReferenceEffect[];
  /** REML fitted to convergence (threshold 1e-10), as we fit it. */
  result: ReferenceModelResult;
  /** REML with metafor's default control (stops when τ² moves by less than 1e-5). */
  resultDefaultControl?: ReferenceModelResult;
}

export interface ReferenceSubgroups {
  name: string;
  method: "FE" | "DL" | "REML";
  knha: boolean;
  groups: Record<string, ReferenceEffect[]>;
  result: { groups: Record<string, ReferenceModelResult>; test: { q: number; df: number; p: number } };
}

export interface ReferenceEffectSizes {
  measure: "SMD" | "MD" | "OR" | "RR";
  input: Record<string, number>[];
  yi: (number | null)[];
  vi: (number | null)[];
}

export interface MetaforReference {
  metafor: string;
  effectSizes: Record<"bcgRR" | "bcgOR" | "normandSMD" | "normandMD" | "zeroCellsOR" | "zeroCellsRR", ReferenceEffectSizes> & {
    fromConfidenceInterval: Record<
      "OR" | "SMD",
      { input: { estimate: number; ciLower: number; ciUpper: number }[]; yi: number[]; vi: number[] }
    >;
  };
  models: ReferenceModel[];
  subgroups: ReferenceSubgroups[];
  distributions: {
    logGamma: { x: number; value: number }[];
    normalQuantile: { p: number; value: number }[];
    normalUpperTail: { z: number; value: number }[];
    studentTQuantile: { p: number; df: number; value: number }[];
    studentTUpperTail: { t: number; df: number; value: number }[];
    chiSquareUpperTail: { x: number; df: number; value: number }[];
  };
}

const path = fileURLToPath(new URL("../fixtures/metafor/reference.json", import.meta.url));

export const metaforReference: MetaforReference = JSON.parse(fs.readFileSync(path, "utf8"));

export function referenceModel(name: string): ReferenceModel {
  const model = metaforReference.models.find((m) => m.name === name);
  if (!model) throw new Error(`No reference model named "${name}".`);
  return model;
}

/**
 * How closely our numbers must agree with metafor's, as one rule for every
 * comparison with reference.json: |actual − expected| ≤ max(relative × |expected|, floor)
 * (docs/decisions/006-statistics-as-metafor.md).
 *
 * - relative 1e-7, what the public API promises (docs/api.md). The worst case in reference.json is
 *   5e-8: a CI bound of −0.00198 that is the difference of two numbers near
 *   0.53 (the REML fits of the latitude subgroups); nearly all agree to 1e-9.
 * - floor 1e-12, for values that are exactly 0 in metafor (τ², Q, I² and the
 *   standard error of identical effects, FE's τ²), where our result may carry
 *   rounding noise of about 1e-16 × the size of the numbers it came from (up
 *   to about 100 here). Apart from p-values, the smallest non-zero reference
 *   value is a weight of 3.2e-4 %, whose relative allowance (3.2e-11) is above
 *   the floor, so the floor forgives nothing but noise around true zeros.
 * - p-values have no floor: they run down to 1e-28 here and agree to 1e-13
 *   relative; with any floor, a p-value below it would pass whatever we said.
 */
export const RELATIVE_TOLERANCE = 1e-7;
export const ABSOLUTE_FLOOR = 1e-12;
export const P_VALUE_FLOOR = 0;

export interface Tolerance {
  relative?: number;
  floor?: number;
}

/** The largest difference from `expected` the rule above allows. */
export function allowedDifference(expected: number, { relative = RELATIVE_TOLERANCE, floor = ABSOLUTE_FLOOR }: Tolerance = {}): number {
  return Math.max(relative * Math.abs(expected), floor);
}

/** Fails, naming `label` and both numbers, unless `actual` agrees with `expected` under the rule above. */
export function expectClose(actual: number, expected: number, label: string, tolerance: Tolerance = {}): void {
  const allowed = allowedDifference(expected, tolerance);
  expect(Number.isFinite(actual), `${label}: ${actual} is not a finite number`).toBe(true);
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected} (allowed ±${allowed})`).toBeLessThanOrEqual(allowed);
}

const POOLED_NUMBERS = ["estimate", "se", "ciLower", "ciUpper", "tau2", "i2", "h2", "q", "piLower", "piUpper"] as const;
const POOLED_P_VALUES = ["qP", "pval"] as const;

/** A pooled result as the domain returns it or as the API sends it (non-finite statistics as null). */
export type PooledLike = Record<(typeof POOLED_NUMBERS)[number] | (typeof POOLED_P_VALUES)[number], number> & {
  k: number;
  qDf: number;
  test: "z" | "t";
  df?: number;
  zval?: number | null;
  tval?: number | null;
  weights: number[];
};

/**
 * Every number metafor reports for a model (k, Q's degrees of freedom, the
 * test and its statistic, the estimate and intervals, τ², I², H², Q, the
 * p-values, one weight per study), compared under the rule above; null in
 * the reference means a non-finite value.
 */
export function expectAgreesWithMetafor(actual: PooledLike, expected: ReferenceModelResult, name: string, tolerance: Tolerance = {}): void {
  expect(actual.k, `${name}: k`).toBe(expected.k);
  expect(actual.qDf, `${name}: qDf`).toBe(expected.qDf);
  expect(actual.test, `${name}: test`).toBe(expected.test);
  for (const field of POOLED_NUMBERS) expectClose(actual[field], expected[field], `${name}: ${field}`, tolerance);
  for (const field of POOLED_P_VALUES)
    expectClose(actual[field], expected[field], `${name}: ${field}`, { ...tolerance, floor: P_VALUE_FLOOR });
  const statistic = expected.test === "t" ? "tval" : "zval";
  const expectedStatistic = expected[statistic];
  const actualStatistic = actual[statistic];
  if (expectedStatistic === null || expectedStatistic === undefined) {
    expect(typeof actualStatistic === "number" && Number.isFinite(actualStatistic), `${name}: ${statistic} is not finite`).toBe(false);
  } else expectClose(actualStatistic as number, expectedStatistic, `${name}: ${statistic}`, tolerance);
  if (expected.test === "t") expect(actual.df, `${name}: df`).toBe(expected.df);
  expect(actual.weights, `${name}: one weight per study`).toHaveLength(expected.weights.length);
  actual.weights.forEach((weight, i) => expectClose(weight, expected.weights[i], `${name}: weight ${i}`, tolerance));
}
