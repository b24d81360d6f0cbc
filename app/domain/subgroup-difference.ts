/**
 * The dichotomised within-trial analysis, where participant-level and
 * published subgroup results meet: for two patient profiles A and B (say
 * "High CRP" and "Low CRP"), each trial's effect in A minus its effect in B,
 * with variance v_A + v_B (disjoint subgroups are independent), pooled across
 * trials. A trial that shared only subgroup results contributes exactly what
 * it published; a trial with participant-level data contributes the same
 * difference computed from its participants dichotomised by the profiles'
 * criteria. Unlike the test for subgroup differences (which compares pooled
 * subgroups across trials), every difference here is within one trial, so
 * between-trial differences cannot masquerade as effect modification.
 *
 * Pure code, for browser and server alike.
 */
import { type ComparisonInput, type ComparisonOptions, effectOf, isRatio, type PooledSummary, summarisePooled } from "./comparison.ts";
import { MetaAnalysisError, poolEffects } from "./meta-analysis.ts";
import { normalQuantile } from "./distributions.ts";

export interface TrialDifference {
  studyId: string;
  studyTitle: string;
  interventionName: string;
  source: ComparisonInput["source"];
  /** Where each side's number comes from: "Infliximab trial (synthetic) v1" or the published subgroup. */
  provenance: { a: string; b: string };
  /** Effects on the analysis scale (log for ratios). */
  a: { yi: number; vi: number; n: number | null };
  b: { yi: number; vi: number; n: number | null };
  /** A minus B on the analysis scale, and its 95% CI. */
  yi: number;
  vi: number;
  ciLower: number;
  ciUpper: number;
  excluded: boolean;
}

export interface UnpairedTrial {
  studyTitle: string;
  interventionName: string;
  reason: string;
}

export interface SubgroupDifferenceAnalysis {
  trials: TrialDifference[];
  unpaired: UnpairedTrial[];
  /** The pooled difference (ratios as a ratio of ratios; yi and se on the analysis scale); null when no trial is left to pool. */
  pooled: PooledSummary | null;
  /** Ratios are shown as a ratio of ratios (exp of the difference of logs). */
  ratio: boolean;
}

const Z_975 = normalQuantile(0.975);

function describe(input: ComparisonInput): string {
  return input.source === "participant"
    ? `${input.datasetName} v${input.datasetVersion} (participant-level)`
    : `published result for “${input.subgroup || "the whole sample"}”`;
}

/**
 * Pairs each trial's inputs for A and B (same study and intervention arm, same
 * kind of source) and pools the differences. `inputs` are the comparison's
 * chosen inputs of one row; exclusions name studies, as in the comparison.
 */
export function withinTrialDifferences(
  inputs: readonly ComparisonInput[],
  profileA: string,
  profileB: string,
  options: ComparisonOptions,
): SubgroupDifferenceAnalysis {
  const excluded = new Set(options.exclude ?? []);
  const trials: TrialDifference[] = [];
  const unpaired: UnpairedTrial[] = [];
  const keyOf = (i: ComparisonInput) => `${i.studyId}|${i.interventionName.trim().toLowerCase()}`;
  const inB = new Map(inputs.filter((i) => i.profileId === profileB).map((i) => [keyOf(i), i]));
  const seen = new Set<string>();
  for (const a of inputs.filter((i) => i.profileId === profileA)) {
    const key = keyOf(a);
    seen.add(key);
    const b = inB.get(key);
    const skip = (reason: string) => unpaired.push({ studyTitle: a.studyTitle, interventionName: a.interventionName, reason });
    if (!b) {
      skip("No data for the second profile.");
      continue;
    }
    if (a.source !== b.source) {
      skip("One profile's number comes from participant-level data and the other's from a published result.");
      continue;
    }
    const ea = effectOf(a, options.measure);
    const eb = effectOf(b, options.measure);
    if (!ea.estimable || !eb.estimable) {
      skip(!ea.estimable ? ea.reason : (eb as { reason: string }).reason);
      continue;
    }
    const yi = ea.yi - eb.yi;
    const vi = ea.vi + eb.vi;
    const se = Math.sqrt(vi);
    trials.push({
      studyId: a.studyId,
      studyTitle: a.studyTitle,
      interventionName: a.interventionName,
      source: a.source,
      provenance: { a: describe(a), b: describe(b) },
      a: { yi: ea.yi, vi: ea.vi, n: ea.n },
      b: { yi: eb.yi, vi: eb.vi, n: eb.n },
      yi,
      vi,
      ciLower: yi - Z_975 * se,
      ciUpper: yi + Z_975 * se,
      excluded: excluded.has(a.studyId),
    });
  }
  for (const [key, b] of inB) {
    if (!seen.has(key))
      unpaired.push({ studyTitle: b.studyTitle, interventionName: b.interventionName, reason: "No data for the first profile." });
  }
  const included = trials.filter((t) => !t.excluded);
  let pooled: PooledSummary | null = null;
  if (included.length) {
    try {
      const result = poolEffects(
        included.map((t) => ({ label: t.studyTitle, yi: t.yi, vi: t.vi })),
        { method: options.method, knha: options.knha },
      );
      const sizes = included.flatMap((t) => [t.a.n, t.b.n]);
      const n = sizes.every((x) => x !== null) ? sizes.reduce((total: number, x) => total + x!, 0) : null;
      pooled = summarisePooled(result, options.measure, n);
    } catch (error) {
      if (!(error instanceof MetaAnalysisError)) throw error;
    }
  }
  return { trials, unpaired, pooled, ratio: isRatio(options.measure) };
}
