/**
 * Site summaries: what a partner whose participant-level data may not leave
 * the site computes on its own machine (docs/decisions/019-site-summaries.md).
 * Given the study's site kit (arms, outcomes, panel, profiles) and the CSV, it
 * reads the file exactly as the app's import does (same column recognition,
 * units and refusals), applies every profile, derives the study's outcomes,
 * and fits the treatment × biomarker interaction per arm, outcome and panel
 * biomarker. Only aggregates of at least `minimumCellSize` participants are
 * written; every cell left out is listed with the reason.
 *
 * Pure code without I/O: the command-line tool (app/site/consilience-site.ts)
 * reads the files, hashes and writes. It is bundled into one script, so it
 * must not import zod or server code.
 */
import { parse } from "csv-parse/sync";
import { type ComparisonArm, type ComparisonStudy, comparatorOf, outcomeKey, sameArm } from "./comparison-inputs.ts";
import { type BiomarkerRef, firstProblem, planColumns } from "./dataset-columns.ts";
import { checkDelimiter, DATASET_LIMITS, DatasetFileError } from "./dataset-files.ts";
import { DatasetTableBuilder, type HarmonisedTable } from "./dataset-table.ts";
import { fitTrials } from "./effect-modification.ts";
import { defaultTransform, planTrials, pointOf, trialArmOf } from "./effect-modification-inputs.ts";
import type { ParticipantPoint } from "./interaction-fits.ts";
import { deriveDatasetOutcomes } from "./participant-outcomes.ts";
import { planProfile } from "./profile-plan.ts";
import { evaluateCompiled } from "./profiles.ts";

import {
  MINIMUM_CELL_SIZE,
  type OutcomeCell,
  SITE_KIT_FORMAT,
  SITE_SUMMARY_FORMAT,
  type SiteInteraction,
  type SiteKit,
  type SiteKitBiomarker,
  type SiteProfileSummary,
  type SiteSummary,
} from "./site-summary-format.ts";

export { MINIMUM_CELL_SIZE, SITE_KIT_FORMAT, SITE_SUMMARY_FORMAT };
export type { OutcomeCell, SiteInteraction, SiteKit, SiteKitBiomarker, SiteProfileSummary, SiteSummary };

export interface SiteSource {
  fileName: string;
  sha256: string;
  /** The file decoded (dataset-files.ts decodeCsvText checks the encoding). */
  text: string;
}

/** Reads the CSV as the import does: one comma-separated dialect, the panel's column recognition, the same refusals. */
export function readSiteTable(text: string, biomarkers: BiomarkerRef[]): HarmonisedTable {
  checkDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, max_record_size: DATASET_LIMITS.maxRecordChars, skip_empty_lines: false });
  } catch (error) {
    throw new DatasetFileError(`The CSV cannot be read: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new DatasetFileError("The file is empty.");
  const header = records[0];
  const plans = planColumns(header, biomarkers, {}, "participant");
  const problem = firstProblem(plans);
  if (problem) throw problem;
  const builder = new DatasetTableBuilder(plans, "participant", header.length);
  for (let i = 1; i < records.length; i++) builder.add({ row: i + 1, cells: records[i] });
  return builder.finish();
}

class Accumulator {
  n = 0;
  mean = 0;
  m2 = 0;
  events = 0;
  add(value: number) {
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
    if (value === 1) this.events++;
  }
  cell(kind: "continuous" | "binary"): OutcomeCell {
    if (kind === "binary") return { n: this.n, events: this.events };
    return { n: this.n, mean: this.mean, sd: this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0 };
  }
}

/** The site's summary: per profile and arm, the outcome summaries; per arm, outcome and biomarker, the interaction. */
export function summariseSite(kit: SiteKit, source: SiteSource, createdAt = new Date().toISOString()): SiteSummary {
  const minimum = kit.minimumCellSize;
  const biomarkers = kit.panel?.biomarkers ?? [];
  const table = readSiteTable(source.text, biomarkers);
  const outcomes = deriveDatasetOutcomes(table.columns, kit.study.outcomes);
  const withheld: SiteSummary["withheld"] = [];
  const fewer = `fewer than ${minimum} participants`;

  // Each row's study arm, once: a dataset arm value names a study arm as it does in the app.
  const armOfValue = new Map<string, ComparisonArm | null>();
  const studyArms: ComparisonArm[] = kit.study.arms.map((a) => ({ ...a, dose: "" }));
  const armOf = (value: string | null) => {
    if (value === null) return null;
    if (!armOfValue.has(value)) armOfValue.set(value, studyArms.find((a) => sameArm(value, a.name)) ?? null);
    return armOfValue.get(value) ?? null;
  };
  const unknownArms = new Set(table.rows.map((r) => r.arm).filter((value) => value === null || armOf(value) === null));
  if (unknownArms.size > 0) {
    withheld.push({
      where: "rows without a study arm",
      reason: `The arm column is missing, empty or names no arm of the study (${kit.study.arms.map((a) => a.name).join(", ")}): those rows are left out of every summary.`,
    });
  }

  const profiles: SiteProfileSummary[] = kit.profiles.map((profile) => {
    const plan = planProfile(profile.criteria, table.columns, biomarkers);
    if (!plan.evaluable) return { profileId: profile.id, name: profile.name, evaluable: false, problems: plan.problems, arms: [] };
    const perArm = new Map(studyArms.map((arm) => [arm.id, { n: 0, outcomes: outcomes.map(() => new Accumulator()) }]));
    for (const row of table.rows) {
      const arm = armOf(row.arm);
      if (!arm || evaluateCompiled(plan.root, row.values) !== true) continue;
      const cell = perArm.get(arm.id)!;
      cell.n++;
      outcomes.forEach((outcome, o) => {
        const value = outcome.value(row.values);
        if (value !== null) cell.outcomes[o].add(value);
      });
    }
    const arms: SiteProfileSummary["arms"] = [];
    for (const arm of studyArms) {
      const cell = perArm.get(arm.id)!;
      const where = `profile “${profile.name}”, arm “${arm.name}”`;
      if (cell.n < minimum) {
        withheld.push({ where, reason: `${fewer} match the profile in this arm.` });
        continue;
      }
      const written: Record<string, OutcomeCell> = {};
      outcomes.forEach((outcome, o) => {
        const accumulator = cell.outcomes[o];
        if (accumulator.n < minimum) {
          withheld.push({ where: `${where}, outcome “${outcome.outcomeName}”`, reason: `${fewer} have a value for this outcome.` });
        } else written[outcome.outcomeId] = accumulator.cell(outcome.kind);
      });
      arms.push({ arm: arm.name, armId: arm.id, n: cell.n, outcomes: written });
    }
    return { profileId: profile.id, name: profile.name, evaluable: true, problems: [], arms };
  });

  return {
    format: SITE_SUMMARY_FORMAT,
    kit: {
      workspaceId: kit.workspace.id,
      studyId: kit.study.id,
      studyVersion: kit.study.version,
      panelVersion: kit.panel?.version ?? null,
      profiles: kit.profiles.map((p) => ({ id: p.id, version: p.version })),
    },
    source: { fileName: source.fileName, sha256: source.sha256, rows: table.rows.length },
    createdAt,
    minimumCellSize: minimum,
    profiles,
    interactions: siteInteractions(kit, table, studyArms, withheld),
    withheld,
  };
}

/** One interaction per intervention arm × outcome × panel biomarker the file has, fitted as the app's effect-modification analysis fits a trial. */
function siteInteractions(
  kit: SiteKit,
  table: HarmonisedTable,
  arms: ComparisonArm[],
  withheld: SiteSummary["withheld"],
): SiteInteraction[] {
  const minimum = kit.minimumCellSize;
  const comparator = comparatorOf(arms);
  if (!comparator) {
    withheld.push({ where: "interactions", reason: "The study has no comparator arm (a placebo arm, or the second of two arms)." });
    return [];
  }
  const study: ComparisonStudy = {
    id: kit.study.id,
    title: kit.study.title,
    population: "",
    arms,
    outcomes: kit.study.outcomes,
    datasets: [{ id: "site", name: "site", version: 1, columns: table.columns }],
    mapped: [],
  };
  const measured = new Set(table.columns.filter((c) => c.role === "biomarker").map((c) => c.biomarker));
  const interactions: SiteInteraction[] = [];
  for (const biomarker of kit.panel?.biomarkers ?? []) {
    if (!measured.has(biomarker.code)) continue;
    const transform = defaultTransform(biomarker.code);
    for (const outcome of kit.study.outcomes) {
      const option = { key: outcomeKey(outcome.name), name: outcome.name, kind: outcome.kind, studies: 1 };
      for (const arm of arms) {
        if (arm.id === comparator.id) continue;
        const trial = planTrials([study], option, arm.name.trim().toLowerCase(), biomarker).trials.find(
          (t) => t.intervention.id === arm.id,
        );
        if (!trial) continue; // the file gives no value for this outcome
        const where = `interaction of ${outcome.name} with ${biomarker.label}, ${arm.name} against ${comparator.name}`;
        const points: ParticipantPoint[] = [];
        for (const row of table.rows) {
          const side = trialArmOf(trial, row.arm);
          const point = side && pointOf(trial, side, row.values, transform);
          if (point) points.push(point);
        }
        const small = (["intervention", "comparator"] as const).filter((side) => points.filter((p) => p.arm === side).length < minimum);
        if (small.length > 0) {
          withheld.push({
            where,
            reason: `${small.map((side) => (side === "intervention" ? arm.name : comparator.name)).join(" and ")}: fewer than ${minimum} participants with both ${biomarker.label} and the outcome.`,
          });
          continue;
        }
        const { fitted, notFitted } = fitTrials(outcome.kind, [{ label: where, points }]);
        if (fitted.length === 0) {
          withheld.push({ where, reason: `The model cannot be fitted: ${notFitted[0].reason}` });
          continue;
        }
        const fit = fitted[0];
        interactions.push({
          outcomeId: outcome.id,
          biomarker: biomarker.code,
          scale: transform.scale,
          per: transform.per,
          intervention: arm.id,
          comparator: comparator.id,
          n: fit.n,
          interaction: fit.interaction,
          se: fit.se,
          effectAtZero: fit.effectAtZero,
          varEffectAtZero: fit.varEffectAtZero,
          covEffectInteraction: fit.covEffectInteraction,
          ...coarseRange(
            points.map((p) => p.x),
            minimum,
          ),
          xMean: fit.xMean,
        });
      }
    }
  }
  return interactions;
}

/** Each end of the covariate's range as the mean of the `k` most extreme values, so no one participant's value is written. */
export function coarseRange(values: number[], k: number): { xMin: number; xMax: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = (part: number[]) => part.reduce((t, v) => t + v, 0) / part.length;
  return { xMin: mean(sorted.slice(0, k)), xMax: mean(sorted.slice(-k)) };
}
