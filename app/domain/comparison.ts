/**
 * The comparison of interventions across patient profiles, from per-study
 * inputs to pooled cells and forest plots. An input is one study's data for
 * one intervention (against its comparator) in one profile: per-arm
 * summaries computed from its participant-level rows, or a summary-level
 * result the user mapped to the profile. Effects come from effect-sizes.ts,
 * pooling from meta-analysis.ts, so every number is metafor's. Pure code: the
 * browser recomputes a forest plot with it when a study is excluded.
 */
import {
  type EffectMeasure,
  effectFromConfidenceInterval,
  ImpossibleInputError,
  logOddsRatio,
  logRiskRatio,
  meanDifference,
  RATIO_MEASURES,
  standardisedMeanDifference,
} from "./effect-sizes.ts";
import { MetaAnalysisError, type PooledEffect, type PoolingMethod, poolEffects, subgroupAnalysis } from "./meta-analysis.ts";
import type { ResultData } from "./results.ts";

export const SOURCE_PREFERENCES = ["participant", "summary"] as const;
export type SourcePreference = (typeof SOURCE_PREFERENCES)[number];

/** The order of intervention classes down the matrix. */
export const CLASS_ORDER = ["anti-inflammatory", "metabolic", "lifestyle", "antidepressant", "other", "placebo"];

export interface ComparisonInput {
  /** Stable within a comparison: source, dataset or result, profile and arm. */
  id: string;
  studyId: string;
  studyTitle: string;
  population: string;
  /** The matrix row: the intervention's name, lower-cased. */
  rowKey: string;
  interventionName: string;
  interventionClass: string;
  dose: string;
  comparatorName: string;
  profileId: string;
  source: "participant" | "summary";
  datasetId?: string;
  datasetName?: string;
  datasetVersion?: number;
  /** For participant-level numbers computed at sites: the site summaries they come from. */
  siteSummaryIds?: string[];
  /** Unit conversions behind the profile's evaluation and the outcome, in words. */
  conversions?: string[];
  /** How the outcome was read from the rows. */
  outcomeDefinition?: string;
  resultId?: string;
  resultVersion?: number;
  subgroup?: string;
  /** How the result's subgroup differs from the profile (empty when it matches). */
  cutoffDifferences?: string[];
  data: ResultData;
}

export interface ComparisonOptions {
  measure: EffectMeasure;
  method: PoolingMethod;
  knha?: boolean;
  /** Study ids left out of every pooled number. */
  exclude?: string[];
}

/** Which outcomes are better when higher: a change, drop, response or remission; otherwise a symptom score (lower is better). */
export function higherIsBetter(outcomeName: string): boolean {
  return /change|drop|reduction|improv|respon|remission/i.test(outcomeName);
}

export const isRatio = (measure: EffectMeasure) => RATIO_MEASURES.includes(measure);

/** The classes of measure an outcome kind allows; the first is the default. */
export function measuresFor(kind: "continuous" | "binary"): EffectMeasure[] {
  return kind === "continuous" ? ["SMD", "MD"] : ["OR", "RR"];
}

/** One study per row and profile: when a study gives both kinds, the preferred one is used and the other listed as set aside. */
export function selectInputs(candidates: ComparisonInput[], prefer: SourcePreference) {
  const chosen = new Map<string, ComparisonInput>();
  const setAside: { input: ComparisonInput; usedInstead: string }[] = [];
  for (const input of candidates) {
    const key = `${input.studyId}|${input.rowKey}|${input.profileId}`;
    const current = chosen.get(key);
    if (!current) {
      chosen.set(key, input);
      continue;
    }
    const replace = current.source !== prefer && input.source === prefer;
    const [kept, dropped] = replace ? [input, current] : [current, input];
    chosen.set(key, kept);
    setAside.push({ input: dropped, usedInstead: kept.id });
  }
  return { used: [...chosen.values()], setAside };
}

export type InputEffect =
  | { estimable: true; yi: number; vi: number; n: number | null }
  | { estimable: false; reason: string; n: number | null };

function sizeOf(data: ResultData): number | null {
  if (data.type === "estimate")
    return data.interventionN !== undefined && data.comparatorN !== undefined ? data.interventionN + data.comparatorN : null;
  return data.intervention.n + data.comparator.n;
}

/** The input's effect in the chosen measure (group 1 = intervention), or why it has none. */
export function effectOf(input: ComparisonInput, measure: EffectMeasure): InputEffect {
  const { data } = input;
  const n = sizeOf(data);
  try {
    if (data.type === "continuous") {
      if (isRatio(measure)) return { estimable: false, reason: "Continuous data: choose SMD or MD.", n };
      const arms = {
        m1: data.intervention.mean,
        sd1: data.intervention.sd,
        n1: data.intervention.n,
        m2: data.comparator.mean,
        sd2: data.comparator.sd,
        n2: data.comparator.n,
      };
      const effect = measure === "SMD" ? standardisedMeanDifference(arms) : meanDifference(arms);
      return { estimable: true, ...effect, n };
    }
    if (data.type === "binary") {
      if (!isRatio(measure)) return { estimable: false, reason: "Binary data: choose OR or RR.", n };
      const arms = { events1: data.intervention.events, n1: data.intervention.n, events2: data.comparator.events, n2: data.comparator.n };
      const effect = measure === "OR" ? logOddsRatio(arms) : logRiskRatio(arms);
      return effect.estimable ? { estimable: true, yi: effect.yi, vi: effect.vi, n } : { estimable: false, reason: effect.reason, n };
    }
    if (data.measure !== measure) return { estimable: false, reason: `Reported as ${data.measure}; the view uses ${measure}.`, n };
    return { estimable: true, ...effectFromConfidenceInterval(measure, data), n };
  } catch (error) {
    if (error instanceof ImpossibleInputError) {
      const reason = /n1|n2/.test(error.field)
        ? "Fewer than 2 participants in an arm."
        : /sd/.test(error.field)
          ? "No spread in an arm (SD is 0)."
          : error.message;
      return { estimable: false, reason, n };
    }
    throw error;
  }
}

export interface PooledSummary {
  k: number;
  /** Participants in the pooled studies; null when a summary result gave no N. */
  n: number | null;
  /** On the measure's own scale: ratios as ratios. */
  estimate: number;
  ciLower: number;
  ciUpper: number;
  piLower: number;
  piUpper: number;
  /** On the analysis scale (log for ratios). */
  yi: number;
  se: number;
  tau2: number;
  i2: number;
  q: number;
  qP: number;
  pval: number;
}

export interface CellSummary extends PooledSummary {
  sources: { participant: number; summary: number };
  studyIds: string[];
  inputIds: string[];
  /** Thin evidence: a single study, or a confidence interval wider than a standardised effect of 1. */
  thin: boolean;
  thinReasons: string[];
  /** Inputs of this cell that gave no effect, and why. */
  notEstimable: { inputId: string; reason: string }[];
}

/** A pooled effect as the comparison shows it: ratios back on their own scale, yi and se kept on the analysis scale. */
export function summarisePooled(pooled: PooledEffect, measure: EffectMeasure, n: number | null): PooledSummary {
  const back = isRatio(measure) ? Math.exp : (x: number) => x;
  return {
    k: pooled.k,
    n,
    estimate: back(pooled.estimate),
    ciLower: back(pooled.ciLower),
    ciUpper: back(pooled.ciUpper),
    piLower: back(pooled.piLower),
    piUpper: back(pooled.piUpper),
    yi: pooled.estimate,
    se: pooled.se,
    tau2: pooled.tau2,
    i2: pooled.i2,
    q: pooled.q,
    qP: pooled.qP,
    pval: pooled.pval,
  };
}

/** The width of a CI on a standardised scale: SMD as is, log ratios ÷ π/√3 (Chinn 2000); MD has none. */
function standardisedWidth(measure: EffectMeasure, lower: number, upper: number): number | null {
  if (measure === "SMD") return upper - lower;
  if (isRatio(measure)) return (upper - lower) / (Math.PI / Math.sqrt(3));
  return null;
}

const THIN_WIDTH = 1;

/** Pools a cell's inputs; null when none of them gives an effect. */
export function poolCell(inputs: ComparisonInput[], options: ComparisonOptions): CellSummary | null {
  const excluded = new Set(options.exclude ?? []);
  const effects: { input: ComparisonInput; yi: number; vi: number; n: number | null }[] = [];
  const notEstimable: CellSummary["notEstimable"] = [];
  for (const input of inputs) {
    if (excluded.has(input.studyId)) continue;
    const effect = effectOf(input, options.measure);
    if (effect.estimable) effects.push({ input, yi: effect.yi, vi: effect.vi, n: effect.n });
    else notEstimable.push({ inputId: input.id, reason: effect.reason });
  }
  if (effects.length === 0) return null;
  const pooled = poolSafely(effects, options);
  if (!pooled) return null;
  const n = effects.every((e) => e.n !== null) ? effects.reduce((total, e) => total + (e.n ?? 0), 0) : null;
  const summary = summarisePooled(pooled, options.measure, n);
  const thinReasons: string[] = [];
  if (pooled.k === 1) thinReasons.push("a single study");
  const width = standardisedWidth(options.measure, pooled.ciLower, pooled.ciUpper);
  if (width !== null && width > THIN_WIDTH) thinReasons.push("a wide confidence interval");
  return {
    ...summary,
    sources: {
      participant: effects.filter((e) => e.input.source === "participant").length,
      summary: effects.filter((e) => e.input.source === "summary").length,
    },
    studyIds: [...new Set(effects.map((e) => e.input.studyId))],
    inputIds: effects.map((e) => e.input.id),
    thin: thinReasons.length > 0,
    thinReasons,
    notEstimable,
  };
}

function poolSafely(effects: { yi: number; vi: number }[], options: ComparisonOptions): PooledEffect | null {
  try {
    return poolEffects(effects, { method: options.method, knha: options.knha });
  } catch (error) {
    if (error instanceof MetaAnalysisError) return null;
    throw error;
  }
}

export interface MatrixRow {
  /** "class:anti-inflammatory" or "intervention:infliximab". */
  key: string;
  kind: "class" | "intervention";
  className: string;
  name: string;
  dose: string;
  /** Aligned with the profiles. */
  cells: (CellSummary | null)[];
}

export const classRowKey = (className: string) => `class:${className}`;
export const interventionRowKey = (rowKey: string) => `intervention:${rowKey}`;

/** The inputs that belong to a matrix row. */
export function inputsOfRow(inputs: ComparisonInput[], key: string): ComparisonInput[] {
  if (key.startsWith("class:")) return inputs.filter((i) => i.interventionClass === key.slice(6));
  if (key.startsWith("intervention:")) return inputs.filter((i) => i.rowKey === key.slice(13));
  return [];
}

/**
 * Rows = interventions grouped by class (a class row pools its interventions
 * when it has more than one), columns = profiles.
 */
export function buildMatrix(inputs: ComparisonInput[], profileIds: string[], options: ComparisonOptions): MatrixRow[] {
  const byClass = new Map<string, Map<string, ComparisonInput[]>>();
  for (const input of inputs) {
    const interventions = byClass.get(input.interventionClass) ?? new Map<string, ComparisonInput[]>();
    byClass.set(input.interventionClass, interventions);
    interventions.set(input.rowKey, [...(interventions.get(input.rowKey) ?? []), input]);
  }
  const classRank = (c: string) => (CLASS_ORDER.includes(c) ? CLASS_ORDER.indexOf(c) : CLASS_ORDER.length);
  const classes = [...byClass.keys()].sort((a, b) => classRank(a) - classRank(b) || a.localeCompare(b));
  const cellsOf = (rowInputs: ComparisonInput[]) =>
    profileIds.map((profileId) =>
      poolCell(
        rowInputs.filter((i) => i.profileId === profileId),
        options,
      ),
    );

  const rows: MatrixRow[] = [];
  for (const className of classes) {
    const interventions = byClass.get(className)!;
    const names = [...interventions.keys()].sort();
    if (names.length > 1) {
      const all = names.flatMap((name) => interventions.get(name)!);
      rows.push({ key: classRowKey(className), kind: "class", className, name: `All ${className}`, dose: "", cells: cellsOf(all) });
    }
    for (const name of names) {
      const rowInputs = interventions.get(name)!;
      const doses = [...new Set(rowInputs.map((i) => i.dose).filter(Boolean))];
      rows.push({
        key: interventionRowKey(name),
        kind: "intervention",
        className,
        name: rowInputs[0].interventionName,
        dose: doses.join("; "),
        cells: cellsOf(rowInputs),
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Forest plots.

export interface ForestStudy {
  input: ComparisonInput;
  excluded: boolean;
  /** On the measure's scale (ratios as ratios); null when not estimable. */
  estimate: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  yi: number | null;
  vi: number | null;
  n: number | null;
  /** Percent of its subgroup's weight; null when excluded or not estimable. */
  weight: number | null;
  reason: string | null;
}

export interface ForestGroup {
  profileId: string;
  studies: ForestStudy[];
  pooled: PooledSummary | null;
}

export interface ForestAnalysis {
  measure: EffectMeasure;
  method: PoolingMethod;
  groups: ForestGroup[];
  /** All shown studies pooled together (with several profiles, a participant may be counted in more than one). */
  overall: PooledSummary | null;
  test: { q: number; df: number; p: number } | null;
}

const Z = 1.959963984540054;

/** A forest plot's numbers: a group per profile, the overall model and the test for subgroup differences. */
export function analyseForest(inputs: ComparisonInput[], profileIds: string[], options: ComparisonOptions): ForestAnalysis {
  const excluded = new Set(options.exclude ?? []);
  const back = isRatio(options.measure) ? Math.exp : (x: number) => x;
  const pooling = { method: options.method, knha: options.knha };
  const groups: ForestGroup[] = [];
  const subgroupEffects: Record<string, { yi: number; vi: number }[]> = {};
  const allEffects: { yi: number; vi: number }[] = [];
  let allN: number | null = 0;

  for (const profileId of profileIds) {
    const studies: ForestStudy[] = inputs
      .filter((i) => i.profileId === profileId)
      .sort((a, b) => a.studyTitle.localeCompare(b.studyTitle))
      .map((input) => {
        const effect = effectOf(input, options.measure);
        const isExcluded = excluded.has(input.studyId);
        if (!effect.estimable) {
          return {
            input,
            excluded: isExcluded,
            estimate: null,
            ciLower: null,
            ciUpper: null,
            yi: null,
            vi: null,
            n: effect.n,
            weight: null,
            reason: effect.reason,
          };
        }
        const se = Math.sqrt(effect.vi);
        return {
          input,
          excluded: isExcluded,
          estimate: back(effect.yi),
          ciLower: back(effect.yi - Z * se),
          ciUpper: back(effect.yi + Z * se),
          yi: effect.yi,
          vi: effect.vi,
          n: effect.n,
          weight: null,
          reason: null,
        };
      });
    if (studies.length === 0) continue;
    const used = studies.filter((s) => !s.excluded && s.yi !== null);
    let pooled: PooledSummary | null = null;
    if (used.length) {
      const effects = used.map((s) => ({ yi: s.yi!, vi: s.vi! }));
      const fit = poolSafely(effects, options);
      if (fit) {
        fit.weights.forEach((w, i) => {
          used[i].weight = w;
        });
        const n = used.every((s) => s.n !== null) ? used.reduce((t, s) => t + (s.n ?? 0), 0) : null;
        pooled = summarisePooled(fit, options.measure, n);
        subgroupEffects[profileId] = effects;
        allEffects.push(...effects);
        allN = allN === null || n === null ? null : allN + n;
      }
    }
    groups.push({ profileId, studies, pooled });
  }

  let overall: PooledSummary | null = null;
  let test: ForestAnalysis["test"] = null;
  if (allEffects.length) {
    const fit = poolSafely(allEffects, options);
    if (fit) overall = summarisePooled(fit, options.measure, allN);
    if (Object.keys(subgroupEffects).length > 1) {
      try {
        test = subgroupAnalysis(subgroupEffects, pooling).test;
      } catch (error) {
        if (!(error instanceof MetaAnalysisError)) throw error;
      }
    }
  }
  return { measure: options.measure, method: options.method, groups, overall, test };
}

// ---------------------------------------------------------------------------
// Colour: direction and size, for the matrix.

export type EffectDirection = "favours_intervention" | "favours_comparator" | "unclear";
export type EffectSize = "negligible" | "small" | "medium" | "large";

/**
 * Which way a pooled effect points and how large it is. Direction needs the CI
 * to exclude no effect; size uses Cohen's bands on a standardised scale
 * (SMD, or a log ratio ÷ π/√3); MD has no standard scale and reads as medium.
 */
export function effectBand(cell: Pick<PooledSummary, "yi" | "se" | "ciLower" | "ciUpper">, measure: EffectMeasure, higherBetter: boolean) {
  const nullValue = isRatio(measure) ? 1 : 0;
  const excludesNull = cell.ciLower > nullValue || cell.ciUpper < nullValue;
  const standardised = measure === "SMD" ? cell.yi : isRatio(measure) ? cell.yi / (Math.PI / Math.sqrt(3)) : null;
  const magnitude = standardised === null ? 0.5 : Math.abs(standardised);
  const size: EffectSize = magnitude < 0.2 ? "negligible" : magnitude < 0.5 ? "small" : magnitude < 0.8 ? "medium" : "large";
  const favoursIntervention = higherBetter ? cell.yi > 0 : cell.yi < 0;
  const direction: EffectDirection =
    !excludesNull || cell.yi === 0 ? "unclear" : favoursIntervention ? "favours_intervention" : "favours_comparator";
  const leaning: EffectDirection = cell.yi === 0 ? "unclear" : favoursIntervention ? "favours_intervention" : "favours_comparator";
  return { direction, leaning, size, excludesNull };
}
