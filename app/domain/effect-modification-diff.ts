/**
 * What differs between two effect-modification analyses (decision 031): two
 * snapshots of scope "effect-modification", or a snapshot and the live view
 * asked the same question. The pooled interaction before and after, trials
 * whose own fit moved, trials new or gone, sources at a new version, and the
 * options that differ, with one summary sentence. "Moved" is judged to the
 * digit, as the comparison's cells are (snapshots.ts): stored numbers read
 * back to the same doubles, so any difference is a real one. Pure code: the
 * API, the snapshot page and the diff page all say what this says.
 */
import type { StoredEffectModification } from "./effect-modification-snapshots.ts";
import type { PooledEffect } from "./meta-analysis.ts";

/** The fields of a trial this comparison reads (the view's trials carry more: rug, notes, provenance). */
export interface ComparedTrial {
  key: string;
  studyId: string;
  studyTitle: string;
  datasetName: string;
  datasetVersion: number;
  interventionName: string;
  comparatorName: string;
  source: "dataset" | "site";
  n: number;
  fit: (Record<(typeof FIT_NUMBERS)[number], number | null> & { overall: { yi: number; vi: number } | null }) | null;
}

/** The pooled interaction's numbers as the view keeps them; `weights` names the trials pooled, by key. */
export type ComparedPooled = Pick<
  PooledEffect,
  "k" | "estimate" | "se" | "ciLower" | "ciUpper" | "tau2" | "i2" | "q" | "piLower" | "piUpper"
> & {
  weights?: Record<string, number>;
};

export interface ComparedAnalysis {
  options: StoredEffectModification["options"];
  view: { trials: readonly ComparedTrial[]; pooled: ComparedPooled | null };
}

/** A fit's numbers: a trial moved when any of them, or its n, differs. */
const FIT_NUMBERS = [
  "interaction",
  "se",
  "ciLower",
  "ciUpper",
  "effectAtZero",
  "varEffectAtZero",
  "covEffectInteraction",
  "df",
  "xMin",
  "xMax",
  "xMean",
] as const;

/** The pooled numbers a reader sees, and whose difference makes the pooled interaction "moved". */
const POOLED_NUMBERS = ["k", "estimate", "se", "ciLower", "ciUpper", "tau2", "i2", "q", "piLower", "piUpper"] as const;

export type PooledSide = Record<(typeof POOLED_NUMBERS)[number], number>;

/** One side of a trial's change: which version it was fitted from, its size, its interaction, whether it was pooled. */
export interface TrialSide {
  key: string;
  studyTitle: string;
  datasetVersion: number;
  n: number;
  /** Left out of the pooling by the analysis's exclusions. */
  excluded: boolean;
  fit: { interaction: number; se: number; ciLower: number; ciUpper: number } | null;
}

export interface TrialChange {
  change: "moved" | "added" | "removed";
  studyId: string;
  studyTitle: string;
  datasetName: string;
  interventionName: string;
  comparatorName: string;
  source: "dataset" | "site";
  before: TrialSide | null;
  after: TrialSide | null;
}

export const EFFECT_MODIFICATION_OPTIONS = ["outcome", "intervention", "biomarker", "scale", "per", "method", "knha", "exclude"] as const;
export type EffectModificationOption = (typeof EFFECT_MODIFICATION_OPTIONS)[number];
export type OptionValue = string | number | boolean | string[] | null;

export interface EffectModificationDiff {
  kind: "effect-modification";
  pooled: { before: PooledSide | null; after: PooledSide | null; moved: boolean };
  /** Moved first, then new, then gone; each group in the order the analyses list their trials. */
  trials: TrialChange[];
  /** A trial's source at a new version: its dataset re-imported, its site summary uploaded again. */
  sourcesUpdated: { studyTitle: string; what: string; before: number; after: number }[];
  /** Options that differ. Excluded trials are named ("study · dataset · arm"), so a re-import does not make them differ. */
  options: { option: EffectModificationOption; before: OptionValue; after: OptionValue }[];
  /** "Pooled interaction moved, 2 trials moved, 1 new trial", or "Nothing changed". */
  summary: string;
}

/** No number at all: null in stored JSON, NaN or undefined in live numbers. */
const absent = (x: unknown) => x === null || x === undefined || (typeof x === "number" && Number.isNaN(x));

/** The same number to the digit; two absent numbers are the same. */
export const sameNumber = (x: unknown, y: unknown) => x === y || (absent(x) && absent(y));

/**
 * A trial is the same trial across a re-import, whose key names the new
 * dataset version: the study, the dataset's name and the intervention arm.
 */
export const trialIdentity = (t: Pick<ComparedTrial, "studyId" | "datasetName" | "interventionName">) =>
  `${t.studyId}|${t.datasetName}|${t.interventionName}`;

const trialLabel = (t: ComparedTrial) => `${t.studyTitle} · ${t.datasetName} · ${t.interventionName}`;

function fitMoved(a: ComparedTrial, b: ComparedTrial): boolean {
  if (!sameNumber(a.n, b.n)) return true;
  if (!a.fit || !b.fit) return a.fit !== b.fit;
  const overall = (t: ComparedTrial) => [t.fit?.overall?.yi, t.fit?.overall?.vi];
  const [ay, av] = overall(a);
  const [by, bv] = overall(b);
  return FIT_NUMBERS.some((k) => !sameNumber(a.fit![k], b.fit![k])) || !sameNumber(ay, by) || !sameNumber(av, bv);
}

/** The trials a pooled interaction took in, by identity (the weights are keyed by trial key). */
function pooledTrials(analysis: ComparedAnalysis): string {
  const weights = analysis.view.pooled?.weights ?? {};
  return analysis.view.trials
    .filter((t) => t.key in weights)
    .map(trialIdentity)
    .sort()
    .join("\n");
}

function pooledSide(pooled: ComparedPooled | null): PooledSide | null {
  if (!pooled) return null;
  return Object.fromEntries(POOLED_NUMBERS.map((k) => [k, pooled[k]])) as PooledSide;
}

function pooledMoved(before: ComparedAnalysis, after: ComparedAnalysis): boolean {
  const a = before.view.pooled;
  const b = after.view.pooled;
  if (!a || !b) return a !== b;
  return POOLED_NUMBERS.some((k) => !sameNumber(a[k], b[k])) || pooledTrials(before) !== pooledTrials(after);
}

function side(analysis: ComparedAnalysis, t: ComparedTrial): TrialSide {
  return {
    key: t.key,
    studyTitle: t.studyTitle,
    datasetVersion: t.datasetVersion,
    n: t.n,
    excluded: analysis.options.exclude.includes(t.key),
    fit: t.fit && {
      interaction: t.fit.interaction as number,
      se: t.fit.se as number,
      ciLower: t.fit.ciLower as number,
      ciUpper: t.fit.ciUpper as number,
    },
  };
}

/** Excluded trials by name where the analysis lists them, so the same trial excluded before and after a re-import is the same choice. */
function excludedNames(analysis: ComparedAnalysis): string[] {
  const byKey = new Map(analysis.view.trials.map((t) => [t.key, t]));
  return analysis.options.exclude.map((key) => (byKey.has(key) ? trialLabel(byKey.get(key)!) : key)).sort();
}

function optionValue(analysis: ComparedAnalysis, option: EffectModificationOption): OptionValue {
  return option === "exclude" ? excludedNames(analysis) : analysis.options[option];
}

const sameOption = (a: OptionValue, b: OptionValue) =>
  Array.isArray(a) && Array.isArray(b) ? a.join("\n") === b.join("\n") : sameNumber(a, b);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What changed from `before` to `after`, both asked of the same workspace. */
export function compareEffectModification(before: ComparedAnalysis, after: ComparedAnalysis): EffectModificationDiff {
  const was = new Map(before.view.trials.map((t) => [trialIdentity(t), t]));
  const now = new Map(after.view.trials.map((t) => [trialIdentity(t), t]));
  const change = (kind: TrialChange["change"], a: ComparedTrial | undefined, b: ComparedTrial | undefined): TrialChange => {
    const t = (b ?? a)!;
    return {
      change: kind,
      studyId: t.studyId,
      studyTitle: t.studyTitle,
      datasetName: t.datasetName,
      interventionName: t.interventionName,
      comparatorName: t.comparatorName,
      source: t.source,
      before: a ? side(before, a) : null,
      after: b ? side(after, b) : null,
    };
  };
  const moved = after.view.trials.flatMap((b) => {
    const a = was.get(trialIdentity(b));
    return a && fitMoved(a, b) ? [change("moved", a, b)] : [];
  });
  const added = after.view.trials.filter((b) => !was.has(trialIdentity(b))).map((b) => change("added", undefined, b));
  const removed = before.view.trials.filter((a) => !now.has(trialIdentity(a))).map((a) => change("removed", a, undefined));

  // One entry per source: several arms of a class can come from one dataset.
  const sources = new Map<string, EffectModificationDiff["sourcesUpdated"][number]>();
  for (const b of after.view.trials) {
    const a = was.get(trialIdentity(b));
    const key = `${b.studyId}|${b.datasetName}`;
    if (a && a.datasetVersion !== b.datasetVersion && !sources.has(key))
      sources.set(key, {
        studyTitle: b.studyTitle,
        what: b.source === "site" ? b.datasetName.replace(/^Site/, "site") : `dataset “${b.datasetName}”`,
        before: a.datasetVersion,
        after: b.datasetVersion,
      });
  }
  const sourcesUpdated = [...sources.values()];

  const options = EFFECT_MODIFICATION_OPTIONS.flatMap((option) => {
    const a = optionValue(before, option);
    const b = optionValue(after, option);
    return sameOption(a, b) ? [] : [{ option, before: a, after: b }];
  });

  const pooledChanged = pooledMoved(before, after);
  const parts = [
    pooledChanged ? "pooled interaction moved" : "",
    moved.length ? `${plural(moved.length, "trial", "trials")} moved` : "",
    added.length ? plural(added.length, "new trial", "new trials") : "",
    removed.length ? `${plural(removed.length, "trial", "trials")} no longer included` : "",
    sourcesUpdated.length ? `${plural(sourcesUpdated.length, "source", "sources")} updated` : "",
    options.length ? `${plural(options.length, "option differs", "options differ")} (${options.map((o) => o.option).join(", ")})` : "",
  ].filter(Boolean);
  const text = parts.join(", ");
  return {
    kind: "effect-modification",
    pooled: { before: pooledSide(before.view.pooled), after: pooledSide(after.view.pooled), moved: pooledChanged },
    trials: [...moved, ...added, ...removed],
    sourcesUpdated,
    options,
    summary: text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : "Nothing changed",
  };
}
