/**
 * Per-arm summaries of participant-level datasets by patient profile: how many
 * participants match in each arm, and the mean/SD (or events) of each outcome
 * the dataset gives among those who match. One pass over a dataset's rows
 * serves every profile still missing from the cache.
 *
 * The cache is keyed by the ids and versions of everything a summary depends
 * on (the dataset version's id, the study's version for its outcomes, the
 * panel's version for unit contexts, the profile's version), so a change
 * never meets a stale entry: it simply misses and recomputes that one piece.
 */
import type { DatasetColumn } from "#app/domain/datasets.ts";
import { type BiomarkerInfo, planProfile } from "#app/domain/profile-plan.ts";
import { type CompiledNode, evaluateCompiled, type ProfileCriteria } from "#app/domain/profiles.ts";
import { type DatasetOutcome, deriveDatasetOutcomes, type StudyOutcomeRef } from "#app/domain/participant-outcomes.ts";
import { datasetRowsInPages } from "./dataset-views.server.ts";
import type { ArmCounts, DatasetProfileSummary, OutcomeArmSummary } from "#app/domain/profile-summaries.ts";

export interface SummaryDataset {
  id: string;
  columns: DatasetColumn[];
}

export interface SummaryContext {
  dataset: SummaryDataset;
  /** Changes when the study's outcomes change. */
  studyKey: string;
  outcomes: StudyOutcomeRef[];
  /** Changes when the panel's units or conventions change. */
  panelKey: string;
  biomarkers: BiomarkerInfo[];
}

export interface SummaryProfile {
  id: string;
  version: number;
  criteria: ProfileCriteria;
}

const MAX_ENTRIES = 50_000;
const cache = new Map<string, DatasetProfileSummary>();

const keyOf = (context: SummaryContext, profile: SummaryProfile) =>
  `${context.dataset.id}|${context.studyKey}|${context.panelKey}|${profile.id}@${profile.version}`;

function remember(key: string, value: DatasetProfileSummary) {
  if (cache.size >= MAX_ENTRIES) {
    // Maps iterate in insertion order: drop the oldest tenth.
    let drop = Math.ceil(MAX_ENTRIES / 10);
    for (const old of cache.keys()) {
      cache.delete(old);
      if (--drop === 0) break;
    }
  }
  cache.set(key, value);
}

/** For tests and the benchmark's cold runs. */
export function clearSummaryCache() {
  cache.clear();
}

class Welford {
  n = 0;
  mean = 0;
  m2 = 0;
  events = 0;
  add(x: number) {
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
    if (x === 1) this.events++;
  }
  result(): OutcomeArmSummary {
    return { n: this.n, mean: this.mean, sd: this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0, events: this.events };
  }
}

interface Pending {
  key: string;
  profileId: string;
  root: CompiledNode;
  conversions: string[];
  counts: Map<string, ArmCounts>;
  outcomes: Map<string, Welford>[];
}

/** The summaries of one dataset for each profile, from the cache or one pass over its rows. */
export async function summariseDataset(context: SummaryContext, profiles: SummaryProfile[]): Promise<Map<string, DatasetProfileSummary>> {
  const answer = new Map<string, DatasetProfileSummary>();
  const pending: Pending[] = [];
  let derived: DatasetOutcome[] | null = null;
  for (const profile of profiles) {
    const key = keyOf(context, profile);
    const cached = cache.get(key);
    if (cached) {
      answer.set(profile.id, cached);
      continue;
    }
    const plan = planProfile(profile.criteria, context.dataset.columns, context.biomarkers);
    if (!plan.evaluable) {
      const summary: DatasetProfileSummary = { evaluable: false, problems: plan.problems, conversions: [], arms: [], outcomes: {} };
      remember(key, summary);
      answer.set(profile.id, summary);
      continue;
    }
    derived ??= deriveDatasetOutcomes(context.dataset.columns, context.outcomes);
    pending.push({
      key,
      profileId: profile.id,
      root: plan.root,
      conversions: plan.conversions,
      counts: new Map(),
      outcomes: derived.map(() => new Map()),
    });
  }
  if (pending.length === 0) return answer;

  const outcomes = derived!;
  for await (const row of datasetRowsInPages(context.dataset.id)) {
    const arm = row.arm ?? "";
    const values = row.values;
    let outcomeValues: (number | null)[] | null = null;
    for (const p of pending) {
      let counts = p.counts.get(arm);
      if (!counts) {
        counts = { arm, total: 0, matched: 0, notMatched: 0, missing: 0 };
        p.counts.set(arm, counts);
      }
      counts.total++;
      const status = evaluateCompiled(p.root, values);
      if (status === null) counts.missing++;
      else if (!status) counts.notMatched++;
      else {
        counts.matched++;
        outcomeValues ??= outcomes.map((o) => o.value(values));
        for (let o = 0; o < outcomes.length; o++) {
          const value = outcomeValues[o];
          if (value === null) continue;
          let acc = p.outcomes[o].get(arm);
          if (!acc) {
            acc = new Welford();
            p.outcomes[o].set(arm, acc);
          }
          acc.add(value);
        }
      }
    }
  }

  for (const p of pending) {
    const summary: DatasetProfileSummary = {
      evaluable: true,
      problems: [],
      conversions: p.conversions,
      arms: [...p.counts.values()].sort((a, b) => a.arm.localeCompare(b.arm)),
      outcomes: Object.fromEntries(
        outcomes.map((o, i) => [
          o.outcomeId,
          { definition: o.definition, kind: o.kind, arms: Object.fromEntries([...p.outcomes[i]].map(([arm, acc]) => [arm, acc.result()])) },
        ]),
      ),
    };
    remember(p.key, summary);
    answer.set(p.profileId, summary);
  }
  return answer;
}
