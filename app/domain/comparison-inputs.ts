/**
 * From a workspace's studies to the comparison's inputs, without I/O: which
 * outcomes can be compared, which arm is a study's comparator, which dataset
 * arm value names which study arm, and one candidate input per study, arm and
 * profile from participant-level summaries and from mapped summary results.
 * The comparison service loads the sources and the participant summaries and
 * calls these; app/domain/comparison.ts then chooses and pools.
 */
import type { ComparisonInput } from "./comparison.ts";
import { normaliseName } from "./dataset-columns.ts";
import type { DatasetColumn } from "./datasets.ts";
import { deriveDatasetOutcomes } from "./participant-outcomes.ts";
import { type BiomarkerInfo, compareSubgroupWithProfile } from "./profile-plan.ts";
import type { ProfileCriteria } from "./profiles.ts";
import type { OutcomeCell, SiteSummary } from "./site-summary-format.ts";
import type { DatasetProfileSummary } from "./profile-summaries.ts";

export interface ComparisonArm {
  id: string;
  name: string;
  class: string;
  dose: string;
}

export interface ComparisonOutcomeRef {
  id: string;
  name: string;
  kind: "continuous" | "binary";
}

/** A summary-level result mapped to a profile, with the columns the comparison reads. */
export interface MappedResult {
  profileId: string;
  result: {
    id: string;
    version: number;
    outcomeId: string;
    interventionArmId: string;
    comparatorArmId: string;
    subgroup: string;
    type: "continuous" | "binary" | "estimate";
    interventionMean: number | null;
    interventionSd: number | null;
    interventionN: number | null;
    interventionEvents: number | null;
    comparatorMean: number | null;
    comparatorSd: number | null;
    comparatorN: number | null;
    comparatorEvents: number | null;
    measure: "SMD" | "MD" | "OR" | "RR" | null;
    estimate: number | null;
    ciLower: number | null;
    ciUpper: number | null;
  };
}

export interface ComparisonDataset {
  id: string;
  name: string;
  version: number;
  columns: DatasetColumn[];
}

/** The newest summary one site made of the study's participants (docs/decisions/019-site-summaries.md). */
export interface SiteSummaryRef {
  id: string;
  site: string;
  version: number;
  summary: SiteSummary;
}

/** One study as the comparison sees it. */
export interface ComparisonStudy {
  id: string;
  title: string;
  population: string;
  arms: ComparisonArm[];
  outcomes: ComparisonOutcomeRef[];
  /** The newest ready participant-level dataset of each name. */
  datasets: ComparisonDataset[];
  mapped: MappedResult[];
  /** Summaries made at sites whose participant-level data cannot leave them. */
  sites?: SiteSummaryRef[];
}

export interface ComparisonProfile {
  id: string;
  criteria: ProfileCriteria;
}

export interface OutcomeOption {
  key: string;
  name: string;
  kind: "continuous" | "binary";
  /** Studies with data for it (a mapped result or a dataset that gives it). */
  studies: number;
}

/** Outcomes are compared by name, whatever the case and spacing each study wrote it in. */
export const outcomeKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

/** Every outcome some study measures, most studies with data first. */
export function outcomeOptions(studies: ComparisonStudy[]): OutcomeOption[] {
  const options = new Map<string, OutcomeOption & { studyIds: Set<string> }>();
  for (const study of studies) {
    const withData = new Set(study.mapped.map((m) => m.result.outcomeId));
    for (const dataset of study.datasets) {
      for (const d of deriveDatasetOutcomes(dataset.columns, study.outcomes)) withData.add(d.outcomeId);
    }
    for (const site of study.sites ?? []) {
      for (const profile of site.summary.profiles)
        for (const arm of profile.arms) for (const id of Object.keys(arm.outcomes)) withData.add(id);
    }
    for (const outcome of study.outcomes) {
      const key = outcomeKey(outcome.name);
      const option = options.get(key) ?? { key, name: outcome.name.trim(), kind: outcome.kind, studies: 0, studyIds: new Set<string>() };
      if (withData.has(outcome.id)) option.studyIds.add(study.id);
      option.studies = option.studyIds.size;
      options.set(key, option);
    }
  }
  return [...options.values()].map(({ studyIds: _, ...o }) => o).sort((a, b) => b.studies - a.studies || a.name.localeCompare(b.name));
}

/** The study's comparator: its first placebo arm, or the second of exactly two arms. */
export function comparatorOf<A extends { class: string }>(arms: A[]): A | null {
  return arms.find((a) => a.class === "placebo") ?? (arms.length === 2 ? arms[1] : null);
}

/**
 * A dataset's arm value names a study arm when their letters and digits agree,
 * or when the value is how the arm's name starts ("EPA" for "EPA (omega-3)").
 */
export function sameArm(datasetArm: string, armName: string): boolean {
  const value = normalisedName(datasetArm);
  const name = normalisedName(armName);
  return value === name || (value.length >= 3 && name.startsWith(value));
}

// Arm names repeat across every dataset, profile and request: normalise each once.
const normalised = new Map<string, string>();
function normalisedName(text: string): string {
  let value = normalised.get(text);
  if (value === undefined) {
    if (normalised.size > 10_000) normalised.clear();
    value = normaliseName(text);
    normalised.set(text, value);
  }
  return value;
}

/** A row of the matrix is an intervention by name, whatever the case. */
const rowKeyOf = (armName: string) => armName.trim().toLowerCase();

/** What every input says of where it sits: its study, its arm against the comparator, its profile. */
function armFields(study: ComparisonStudy, arm: ComparisonArm, comparator: ComparisonArm, profileId: string) {
  return {
    studyId: study.id,
    studyTitle: study.title,
    population: study.population,
    rowKey: rowKeyOf(arm.name),
    interventionName: arm.name,
    interventionClass: arm.class,
    dose: arm.dose,
    comparatorName: comparator.name,
    profileId,
  };
}

/**
 * Every candidate input for one outcome, before one source per study and cell
 * is chosen. `summaries` gives, per participant-level dataset id, each
 * profile's summary of that dataset (computed by the caller).
 */
export function collectInputs(
  studies: ComparisonStudy[],
  profiles: ComparisonProfile[],
  outcome: OutcomeOption,
  summaries: Map<string, Map<string, DatasetProfileSummary>>,
  biomarkers: BiomarkerInfo[],
): ComparisonInput[] {
  const inputs: ComparisonInput[] = [];
  for (const study of studies) {
    const chosen = study.outcomes.find((o) => outcomeKey(o.name) === outcome.key);
    if (!chosen) continue;
    inputs.push(
      ...participantInputs(study, chosen, profiles, summaries),
      ...siteInputs(study, chosen, profiles),
      ...summaryInputs(study, chosen, profiles, biomarkers),
    );
  }
  return inputs;
}

function participantInputs(
  study: ComparisonStudy,
  chosen: ComparisonOutcomeRef,
  profiles: ComparisonProfile[],
  summaries: Map<string, Map<string, DatasetProfileSummary>>,
): ComparisonInput[] {
  const comparator = comparatorOf(study.arms);
  if (!comparator) return [];
  const inputs: ComparisonInput[] = [];
  for (const dataset of study.datasets) {
    for (const profile of profiles) {
      const summary = summaries.get(dataset.id)?.get(profile.id);
      const byOutcome = summary?.outcomes[chosen.id];
      if (!summary?.evaluable || !byOutcome) continue;
      const armSummary = (arm: ComparisonArm) => Object.entries(byOutcome.arms).find(([name]) => sameArm(name, arm.name))?.[1] ?? null;
      const control = armSummary(comparator) ?? { n: 0, mean: 0, sd: 0, events: 0 };
      for (const arm of study.arms) {
        if (arm.id === comparator.id) continue;
        const active = armSummary(arm);
        if (!active) continue;
        inputs.push({
          ...armFields(study, arm, comparator, profile.id),
          id: `participant:${dataset.id}:${profile.id}:${arm.id}`,
          source: "participant",
          datasetId: dataset.id,
          datasetName: dataset.name,
          datasetVersion: dataset.version,
          conversions: summary.conversions,
          outcomeDefinition: byOutcome.definition,
          data:
            byOutcome.kind === "binary"
              ? {
                  type: "binary",
                  intervention: { events: active.events, n: active.n },
                  comparator: { events: control.events, n: control.n },
                }
              : {
                  type: "continuous",
                  intervention: { mean: active.mean, sd: active.sd, n: active.n },
                  comparator: { mean: control.mean, sd: control.sd, n: control.n },
                },
        });
      }
    }
  }
  return inputs;
}

/**
 * Inputs from site summaries: a site computed each profile's per-arm numbers
 * from its own participants with the profile's exact criteria, so they count
 * as participant-level data. A study summarised at several sites gives one
 * input per profile and arm, the sites' arms merged exactly (counts, events,
 * means and SDs of disjoint groups combine without the rows).
 */
function siteInputs(study: ComparisonStudy, chosen: ComparisonOutcomeRef, profiles: ComparisonProfile[]): ComparisonInput[] {
  const comparator = comparatorOf(study.arms);
  if (!comparator || !study.sites?.length) return [];
  const inputs: ComparisonInput[] = [];
  for (const profile of profiles) {
    const cellIn = (site: SiteSummaryRef, armId: string) =>
      site.summary.profiles.find((p) => p.profileId === profile.id && p.evaluable)?.arms.find((a) => a.armId === armId)?.outcomes[
        chosen.id
      ];
    for (const arm of study.arms) {
      if (arm.id === comparator.id) continue;
      // Only sites that gave both arms: an arm withheld at one site must not leave its other arm unmatched.
      const sites = study.sites.filter((site) => cellIn(site, arm.id) && cellIn(site, comparator.id));
      if (!sites.length) continue;
      const active = mergeCells(sites.map((site) => cellIn(site, arm.id)!));
      const control = mergeCells(sites.map((site) => cellIn(site, comparator.id)!));
      const names = sites.map((s) => `“${s.site}” v${s.version}`).join(", ");
      inputs.push({
        ...armFields(study, arm, comparator, profile.id),
        id: `site:${sites.map((s) => s.id).join("+")}:${profile.id}:${arm.id}`,
        source: "participant",
        datasetName: `Site summar${sites.length === 1 ? "y" : "ies"} ${names}`,
        siteSummaryIds: sites.map((s) => s.id),
        outcomeDefinition: "as computed at the site",
        data:
          "mean" in active && "mean" in control
            ? {
                type: "continuous",
                intervention: { mean: active.mean, sd: active.sd, n: active.n },
                comparator: { mean: control.mean, sd: control.sd, n: control.n },
              }
            : {
                type: "binary",
                intervention: { events: "events" in active ? active.events : 0, n: active.n },
                comparator: { events: "events" in control ? control.events : 0, n: control.n },
              },
      });
    }
  }
  return inputs;
}

/** One arm's cell from several sites: n and events add; means and SDs combine as for the pooled groups. */
export function mergeCells(cells: OutcomeCell[]): OutcomeCell {
  if (cells.length === 1) return cells[0];
  const n = cells.reduce((total, c) => total + c.n, 0);
  if (cells.every((c) => "events" in c)) return { n, events: cells.reduce((total, c) => total + ("events" in c ? c.events : 0), 0) };
  const continuous = cells.filter((c): c is Extract<OutcomeCell, { mean: number }> => "mean" in c);
  const mean = continuous.reduce((total, c) => total + c.n * c.mean, 0) / n;
  // Total sum of squares = within-site sums of squares + between-site spread of the means.
  const ss = continuous.reduce((total, c) => total + (c.n - 1) * c.sd * c.sd + c.n * (c.mean - mean) ** 2, 0);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

function summaryInputs(
  study: ComparisonStudy,
  chosen: ComparisonOutcomeRef,
  profiles: ComparisonProfile[],
  biomarkers: BiomarkerInfo[],
): ComparisonInput[] {
  const inputs: ComparisonInput[] = [];
  for (const { result, profileId } of study.mapped) {
    const profile = profiles.find((p) => p.id === profileId);
    if (result.outcomeId !== chosen.id || !profile) continue;
    const intervention = study.arms.find((a) => a.id === result.interventionArmId)!;
    const control = study.arms.find((a) => a.id === result.comparatorArmId)!;
    inputs.push({
      ...armFields(study, intervention, control, profileId),
      id: `summary:${result.id}:${profileId}`,
      source: "summary",
      resultId: result.id,
      resultVersion: result.version,
      subgroup: result.subgroup,
      cutoffDifferences: compareSubgroupWithProfile(result.subgroup, profile.criteria, biomarkers).differences,
      data: resultData(result),
    });
  }
  return inputs;
}

/** A stored result's numbers in the shape the effect-size code reads. */
function resultData(result: MappedResult["result"]): ComparisonInput["data"] {
  if (result.type === "continuous") {
    return {
      type: "continuous",
      intervention: { mean: result.interventionMean!, sd: result.interventionSd!, n: result.interventionN! },
      comparator: { mean: result.comparatorMean!, sd: result.comparatorSd!, n: result.comparatorN! },
    };
  }
  if (result.type === "binary") {
    return {
      type: "binary",
      intervention: { events: result.interventionEvents!, n: result.interventionN! },
      comparator: { events: result.comparatorEvents!, n: result.comparatorN! },
    };
  }
  return {
    type: "estimate",
    measure: result.measure!,
    estimate: result.estimate!,
    ciLower: result.ciLower!,
    ciUpper: result.ciUpper!,
    ...(result.interventionN !== null ? { interventionN: result.interventionN } : {}),
    ...(result.comparatorN !== null ? { comparatorN: result.comparatorN } : {}),
  };
}
