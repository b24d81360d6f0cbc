/**
 * From a workspace's participant-level datasets to the trials of an
 * effect-modification analysis, without I/O: which interventions, outcomes
 * and biomarkers can be analysed, and for one choice, how each dataset's row
 * becomes a participant point (arm, biomarker in the panel's unit on the
 * chosen scale, outcome). The service reads the rows and calls `pointOf`.
 * Uses units.ts, so it is for server code.
 */
import { comparatorOf, type ComparisonArm, type ComparisonStudy, type OutcomeOption, outcomeKey, sameArm } from "./comparison-inputs.ts";
import { type CovariateTransform, transformCovariate } from "./effect-modification.ts";
import type { ParticipantPoint, TrialArm } from "./interaction-fits.ts";
import { type DatasetOutcome, deriveDatasetOutcomes } from "./participant-outcomes.ts";
import type { BiomarkerInfo } from "./profile-plan.ts";
import { criteriaLeaves, type ProfileCriteria } from "./profiles.ts";
import type { SiteInteraction } from "./site-summary-format.ts";
import { conversionFactor } from "./units.ts";

/** One trial of the analysis: an intervention arm against its study's comparator, in one dataset. */
export interface TrialPlan {
  /** Stable across requests: the dataset version and the arm. */
  key: string;
  studyId: string;
  studyTitle: string;
  datasetId: string;
  datasetName: string;
  datasetVersion: number;
  interventionName: string;
  comparatorName: string;
  outcome: DatasetOutcome;
  /** The biomarker column, and the factor that brings its values into the biomarker's unit. */
  column: number;
  columnName: string;
  factor: number;
  conversion: string | null;
  intervention: ComparisonArm;
  comparator: ComparisonArm;
}

/** Why a dataset that could have been a trial is not one, so the page can say so. */
export interface TrialSkipped {
  studyTitle: string;
  datasetName: string;
  reason: string;
}

const rowKeyOf = (armName: string) => armName.trim().toLowerCase();

/**
 * Skewed inflammatory and metabolic markers are usually modelled per doubling
 * (docs/domain.md); BMI per 5 kg/m2; anything else per unit of its own scale.
 */
const PER_DOUBLING = new Set(["hs_crp", "il6", "tnf_alpha", "leptin", "insulin", "homa_ir", "triglycerides"]);
export function defaultTransform(code: string): CovariateTransform {
  if (PER_DOUBLING.has(code)) return { scale: "log2", per: 1 };
  if (code === "bmi") return { scale: "linear", per: 5 };
  return { scale: "linear", per: 1 };
}

/** Outcomes some participant-level dataset gives, with how many studies give it. */
export function analysableOutcomes(studies: ComparisonStudy[]): OutcomeOption[] {
  const options = new Map<string, OutcomeOption>();
  for (const study of studies) {
    if (!comparatorOf(study.arms)) continue;
    const given = new Set(
      study.datasets.flatMap((d) => deriveDatasetOutcomes(d.columns, study.outcomes).map((o) => outcomeKey(o.outcomeName))),
    );
    const fromSites = new Set((study.sites ?? []).flatMap((site) => site.summary.interactions.map((i) => i.outcomeId)));
    for (const outcome of study.outcomes) if (fromSites.has(outcome.id)) given.add(outcomeKey(outcome.name));
    for (const outcome of study.outcomes) {
      const key = outcomeKey(outcome.name);
      if (!given.has(key)) continue;
      const option = options.get(key) ?? { key, name: outcome.name.trim(), kind: outcome.kind, studies: 0 };
      option.studies++;
      options.set(key, option);
    }
  }
  return [...options.values()].sort((a, b) => b.studies - a.studies || a.name.localeCompare(b.name));
}

/** A class of interventions is analysed as one (all anti-inflammatory arms against their comparators). */
export const classKey = (className: string) => `class:${className}`;

/** Whether a study arm belongs to the chosen intervention (by name, whatever the case) or class. */
const armMatches = (arm: ComparisonArm, key: string) => key === rowKeyOf(arm.name) || key === classKey(arm.class);

/**
 * Every intervention arm of a study with a comparator that measures the
 * outcome, with both (and only those matching `interventionKey` when given):
 * the arms a trial can be made of, whatever its data.
 */
function* trialArms(studies: ComparisonStudy[], outcome: OutcomeOption, interventionKey?: string) {
  for (const study of studies) {
    const comparator = comparatorOf(study.arms);
    const chosen = study.outcomes.find((o) => outcomeKey(o.name) === outcome.key);
    if (!comparator || !chosen) continue;
    for (const arm of study.arms) {
      if (arm.id === comparator.id || (interventionKey !== undefined && !armMatches(arm, interventionKey))) continue;
      yield { study, comparator, chosen, arm };
    }
  }
}

/**
 * What can be analysed on the outcome: every intervention with participant-level
 * data, and first every class with more than one trial, since pooling is what
 * a class adds.
 */
export function analysableInterventions(studies: ComparisonStudy[], outcome: OutcomeOption) {
  const rows = new Map<string, { key: string; name: string; class: string; kind: "intervention" | "class"; trials: number }>();
  const add = (key: string, name: string, className: string, kind: "intervention" | "class", trials: number) => {
    const row = rows.get(key) ?? { key, name, class: className, kind, trials: 0 };
    row.trials += trials;
    rows.set(key, row);
  };
  for (const { study, chosen, arm } of trialArms(studies, outcome)) {
    const sites = (study.sites ?? []).filter((site) =>
      site.summary.interactions.some((i) => i.intervention === arm.id && i.outcomeId === chosen.id),
    ).length;
    const trials = study.datasets.length + sites;
    if (trials === 0) continue;
    add(rowKeyOf(arm.name), arm.name, arm.class, "intervention", trials);
    add(classKey(arm.class), `All ${arm.class}`, arm.class, "class", trials);
  }
  const all = [...rows.values()];
  return [...all.filter((r) => r.kind === "class" && r.trials > 1), ...all.filter((r) => r.kind === "intervention")];
}

/** The panel biomarkers some dataset of these studies measures. */
export function analysableBiomarkers(studies: ComparisonStudy[], biomarkers: BiomarkerInfo[]): BiomarkerInfo[] {
  const measured = new Set([
    ...studies.flatMap((s) => s.datasets.flatMap((d) => d.columns.filter((c) => c.role === "biomarker").map((c) => c.biomarker))),
    ...studies.flatMap((s) => (s.sites ?? []).flatMap((site) => site.summary.interactions.map((i) => i.biomarker))),
  ]);
  return biomarkers.filter((b) => measured.has(b.code));
}

/** Every trial for one intervention, outcome and biomarker, and why each other dataset is not one. */
export function planTrials(
  studies: ComparisonStudy[],
  outcome: OutcomeOption,
  interventionKey: string,
  biomarker: BiomarkerInfo,
): { trials: TrialPlan[]; skipped: TrialSkipped[] } {
  const trials: TrialPlan[] = [];
  const skipped: TrialSkipped[] = [];
  for (const { study, comparator, chosen, arm } of trialArms(studies, outcome, interventionKey)) {
    for (const dataset of study.datasets) {
      const skip = (reason: string) => skipped.push({ studyTitle: study.title, datasetName: dataset.name, reason });
      const derived = deriveDatasetOutcomes(dataset.columns, [chosen])[0];
      if (!derived) {
        skip(`No column gives “${chosen.name}”.`);
        continue;
      }
      const column = dataset.columns.findIndex((c) => c.role === "biomarker" && c.biomarker === biomarker.code);
      if (column === -1) {
        skip(`No column for ${biomarker.label}.`);
        continue;
      }
      const unit = dataset.columns[column].unit ?? "";
      const conversion = conversionFactor(unit, biomarker.unit, {
        molarMass: biomarker.molarMass,
        conventions: biomarker.unitConventions,
      });
      if (!conversion.ok) {
        skip(`${biomarker.label} is in ${unit || "no unit"}: ${conversion.message}`);
        continue;
      }
      trials.push({
        key: `${dataset.id}:${arm.id}`,
        studyId: study.id,
        studyTitle: study.title,
        datasetId: dataset.id,
        datasetName: dataset.name,
        datasetVersion: dataset.version,
        interventionName: arm.name,
        comparatorName: comparator.name,
        outcome: derived,
        column,
        columnName: dataset.columns[column].name,
        factor: conversion.factor,
        conversion:
          [
            dataset.columns[column].conversion && `stored in ${unit} at import: ${dataset.columns[column].conversion}`,
            conversion.kind !== "identity" && conversion.description,
          ]
            .filter(Boolean)
            .join("; ") || null,
        intervention: arm,
        comparator,
      });
    }
  }
  return { trials, skipped };
}

/** A trial summarised at its site: the site's own fit of the interaction, on the scale it used. */
export interface SiteTrialPlan {
  key: string;
  studyId: string;
  studyTitle: string;
  siteSummaryId: string;
  site: string;
  version: number;
  interventionName: string;
  comparatorName: string;
  interaction: SiteInteraction;
}

/**
 * Trials from site summaries for one intervention, outcome and biomarker. A
 * site fitted the biomarker on one scale (its usual one); on another scale its
 * estimate means something else, so it is listed as skipped with what to choose.
 */
export function planSiteTrials(
  studies: ComparisonStudy[],
  outcome: OutcomeOption,
  interventionKey: string,
  biomarker: BiomarkerInfo,
  transform: CovariateTransform,
): { trials: SiteTrialPlan[]; skipped: TrialSkipped[] } {
  const trials: SiteTrialPlan[] = [];
  const skipped: TrialSkipped[] = [];
  for (const { study, comparator, chosen, arm } of trialArms(studies, outcome, interventionKey)) {
    for (const site of study.sites ?? []) {
      const found = site.summary.interactions.filter(
        (i) => i.intervention === arm.id && i.comparator === comparator.id && i.outcomeId === chosen.id && i.biomarker === biomarker.code,
      );
      if (!found.length) continue;
      const interaction = found.find((i) => i.scale === transform.scale && (i.scale !== "linear" || i.per === transform.per));
      if (!interaction) {
        const scales = found
          .map((i) => (i.scale === "log2" ? "per doubling" : i.scale === "log" ? "on the natural log scale" : `per ${i.per}`))
          .join(" or ");
        skipped.push({
          studyTitle: study.title,
          datasetName: `Site summary “${site.site}” v${site.version}`,
          reason: `The site summarised ${biomarker.label} ${scales}; choose that scale to include it.`,
        });
        continue;
      }
      trials.push({
        key: `site:${site.id}:${arm.id}`,
        studyId: study.id,
        studyTitle: study.title,
        siteSummaryId: site.id,
        site: site.site,
        version: site.version,
        interventionName: arm.name,
        comparatorName: comparator.name,
        interaction,
      });
    }
  }
  return { trials, skipped };
}

/** Which side of the trial a dataset row's arm value names, or null for another arm of the study. */
export function trialArmOf(trial: TrialPlan, arm: string | null): TrialArm | null {
  if (arm === null) return null;
  if (sameArm(arm, trial.intervention.name)) return "intervention";
  return sameArm(arm, trial.comparator.name) ? "comparator" : null;
}

/** A row of one of the trial's arms as a participant point, or null when a value is missing (or a log of 0 or less). */
export function pointOf(
  trial: TrialPlan,
  side: TrialArm,
  values: readonly (number | string | null)[],
  transform: CovariateTransform,
): ParticipantPoint | null {
  const raw = values[trial.column];
  if (typeof raw !== "number" || !Number.isFinite(raw)) return null;
  const x = transformCovariate(raw * trial.factor, transform);
  const y = trial.outcome.value(values);
  return x === null || y === null ? null : { arm: side, x, y };
}

/** The profiles' thresholds on this biomarker, in its unit, to mark on the plot. */
export function profileCutoffs(profiles: { name: string; criteria: ProfileCriteria }[], biomarker: BiomarkerInfo) {
  const cutoffs: { profile: string; value: number; operator: string }[] = [];
  for (const profile of profiles) {
    for (const leaf of criteriaLeaves(profile.criteria)) {
      if (leaf.kind !== "biomarker" || leaf.code !== biomarker.code || typeof leaf.value !== "number") continue;
      const conversion = conversionFactor(leaf.unit ?? biomarker.unit, biomarker.unit, {
        molarMass: biomarker.molarMass,
        conventions: biomarker.unitConventions,
      });
      if (!conversion.ok) continue;
      cutoffs.push({ profile: profile.name, value: leaf.value * conversion.factor, operator: leaf.operator });
    }
  }
  return cutoffs;
}
