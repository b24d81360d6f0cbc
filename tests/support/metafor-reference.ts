/**
 * The reference values R's metafor computed (tests/fixtures/metafor/make-reference.R
 * writes tests/fixtures/metafor/reference.json), typed for the tests that compare
 * against them. Non-finite values are null in the JSON.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";

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
    fromConfidenceInterval: Record<"OR" | "SMD", { input: { estimate: number; ciLower: number; ciUpper: number }[]; yi: number[]; vi: number[] }>;
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

/** Tolerances API.md promises: 1e-6 for FE and DL, 1e-5 for REML (absolute). */
export const toleranceFor = (method: "FE" | "DL" | "REML") => (method === "REML" ? 1e-5 : 1e-6);
