/**
 * The comparison view's data: every study's inputs for one outcome (per-arm
 * summaries of participant-level rows by profile, and the summary-level
 * results mapped to profiles), pooled into the interventions × profiles
 * matrix by app/domain/comparison.ts. The page and GET …/comparison call the
 * same function, so they show the same numbers.
 */
import { latestReadyDatasets } from "./dataset-views.server.ts";
import { createHash } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { panelBiomarkers, panels, resultProfileMappings, results, studies, studyArms, studyOutcomes } from "#db/schema.ts";
import type { StudyArm } from "#db/schema/studies.ts";
import {
  analyseForest,
  buildMatrix,
  type ComparisonInput,
  type ComparisonOptions,
  type ForestAnalysis,
  higherIsBetter,
  inputsOfRow,
  measuresFor,
  type MatrixRow,
  selectInputs,
  type SourcePreference,
} from "#app/domain/comparison.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import { normaliseName } from "#app/domain/dataset-columns.ts";
import { deriveDatasetOutcomes } from "#app/domain/participant-outcomes.ts";
import { type BiomarkerInfo, compareSubgroupWithProfile } from "#app/domain/profile-plan.ts";
import { describeCriteria } from "#app/domain/profiles.ts";
import { ComparisonCellQuery, ComparisonQuery } from "#app/schemas/comparison.ts";
import type { PublicUser } from "./accounts.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { type DatasetProfileSummary, summariseDataset } from "./participant-summaries.server.ts";
import { labelLookup, workspaceBiomarkers, workspaceProfiles } from "./profiles.server.ts";
import { parseInput } from "./validation.server.ts";

type Db = ReturnType<typeof getDb>;

export interface OutcomeOption {
  key: string;
  name: string;
  kind: "continuous" | "binary";
  /** Studies with data for it (a mapped result or a dataset that gives it). */
  studies: number;
}

/** Everything the comparison reads, in a handful of queries. */
function loadSources(db: Db, workspaceId: string) {
  const studyRows = db.select().from(studies).where(eq(studies.workspaceId, workspaceId)).orderBy(asc(studies.title)).all();
  const studyIds = studyRows.map((s) => s.id);
  const arms = studyIds.length ? db.select().from(studyArms).where(inArray(studyArms.studyId, studyIds)).orderBy(asc(studyArms.position)).all() : [];
  const outcomes = studyIds.length
    ? db.select().from(studyOutcomes).where(inArray(studyOutcomes.studyId, studyIds)).orderBy(asc(studyOutcomes.position)).all()
    : [];
  const mapped = db
    .select({ result: results, profileId: resultProfileMappings.profileId })
    .from(results)
    .innerJoin(resultProfileMappings, eq(resultProfileMappings.resultId, results.id))
    .where(eq(results.workspaceId, workspaceId))
    .all();
  const datasetRows = latestReadyDatasets(db, { workspaceId }, "participant");
  const panelIds = [...new Set(studyRows.map((s) => s.panelId).filter((id): id is string => Boolean(id)))];
  const panelRows = panelIds.length ? db.select().from(panels).where(inArray(panels.id, panelIds)).all() : [];
  const biomarkerRows = panelIds.length
    ? db.select().from(panelBiomarkers).where(inArray(panelBiomarkers.panelId, panelIds)).orderBy(asc(panelBiomarkers.position)).all()
    : [];
  const workspaceMarkers = workspaceBiomarkers(db, workspaceId);
  // A study without a panel is read with every panel's biomarkers: its cache key follows their content.
  const noPanel = { key: `none:${createHash("sha1").update(JSON.stringify(workspaceMarkers)).digest("hex").slice(0, 16)}`, biomarkers: workspaceMarkers };
  const panelsById = new Map(
    panelRows.map((p) => [p.id, { key: `${p.id}@${p.version}`, biomarkers: biomarkerRows.filter((b) => b.panelId === p.id) as BiomarkerInfo[] }]),
  );
  const armsByStudy = groupBy(arms, (a) => a.studyId);
  const outcomesByStudy = groupBy(outcomes, (o) => o.studyId);
  const datasetsByStudy = groupBy(datasetRows, (d) => d.studyId);
  const mappedByStudy = groupBy(mapped, (m) => m.result.studyId);
  return {
    studies: studyRows,
    armsOf: (studyId: string) => armsByStudy.get(studyId) ?? [],
    outcomesOf: (studyId: string) => outcomesByStudy.get(studyId) ?? [],
    mapped,
    mappedOf: (studyId: string) => mappedByStudy.get(studyId) ?? [],
    datasetsOf: (studyId: string) => datasetsByStudy.get(studyId) ?? [],
    panelOf: (panelId: string | null) => (panelId && panelsById.get(panelId)) || noPanel,
    workspaceMarkers,
    profiles: workspaceProfiles(db, workspaceId),
  };
}

type Sources = ReturnType<typeof loadSources>;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const outcomeKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

function outcomeOptions(sources: Sources): OutcomeOption[] {
  const options = new Map<string, OutcomeOption & { studyIds: Set<string> }>();
  for (const study of sources.studies) {
    const studyOutcomes = sources.outcomesOf(study.id);
    const withData = new Set(sources.mappedOf(study.id).map((m) => m.result.outcomeId));
    for (const dataset of sources.datasetsOf(study.id)) {
      for (const d of deriveDatasetOutcomes(dataset.columns, studyOutcomes)) withData.add(d.outcomeId);
    }
    for (const outcome of studyOutcomes) {
      const key = outcomeKey(outcome.name);
      const option = options.get(key) ?? { key, name: outcome.name.trim(), kind: outcome.kind, studies: 0, studyIds: new Set<string>() };
      if (withData.has(outcome.id)) option.studyIds.add(study.id);
      option.studies = option.studyIds.size;
      options.set(key, option);
    }
  }
  return [...options.values()]
    .map(({ studyIds: _, ...o }) => o)
    .sort((a, b) => b.studies - a.studies || a.name.localeCompare(b.name));
}

/** The study's comparator: its first placebo arm, or the second of exactly two arms. */
function comparatorOf(arms: StudyArm[]): StudyArm | null {
  return arms.find((a) => a.class === "placebo") ?? (arms.length === 2 ? arms[1] : null);
}

/**
 * A dataset's arm value names a study arm when their letters and digits agree,
 * or when the value is how the arm's name starts ("EPA" for "EPA (omega-3)").
 */
function sameArm(datasetArm: string, arm: StudyArm): boolean {
  const value = normalisedName(datasetArm);
  const name = normalisedName(arm.name);
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

/** Every candidate input for one outcome, before one source per study and cell is chosen. */
function collectInputs(sources: Sources, outcome: OutcomeOption): ComparisonInput[] {
  const inputs: ComparisonInput[] = [];
  const profileIds = new Set(sources.profiles.map((p) => p.id));
  for (const study of sources.studies) {
    const arms = sources.armsOf(study.id);
    const studyOutcomes = sources.outcomesOf(study.id);
    const chosen = studyOutcomes.find((o) => outcomeKey(o.name) === outcome.key);
    if (!chosen) continue;
    const base = { studyId: study.id, studyTitle: study.title, population: study.population };

    const comparator = comparatorOf(arms);
    const panel = sources.panelOf(study.panelId);
    if (comparator && sources.profiles.length) {
      for (const dataset of sources.datasetsOf(study.id)) {
        const summaries = summariseDataset(
          {
            dataset,
            studyKey: `${study.id}@${study.version}`,
            outcomes: studyOutcomes.map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
            panelKey: panel.key,
            biomarkers: panel.biomarkers,
          },
          sources.profiles,
        );
        for (const profile of sources.profiles) {
          const summary = summaries.get(profile.id);
          const byOutcome = summary?.outcomes[chosen.id];
          if (!summary?.evaluable || !byOutcome) continue;
          const armSummary = (arm: StudyArm) => Object.entries(byOutcome.arms).find(([name]) => sameArm(name, arm))?.[1] ?? null;
          const control = armSummary(comparator) ?? { n: 0, mean: 0, sd: 0, events: 0 };
          for (const arm of arms) {
            if (arm.id === comparator.id) continue;
            const active = armSummary(arm);
            if (!active) continue;
            inputs.push({
              ...base,
              id: `participant:${dataset.id}:${profile.id}:${arm.id}`,
              rowKey: arm.name.trim().toLowerCase(),
              interventionName: arm.name,
              interventionClass: arm.class,
              dose: arm.dose,
              comparatorName: comparator.name,
              profileId: profile.id,
              source: "participant",
              datasetId: dataset.id,
              datasetName: dataset.name,
              datasetVersion: dataset.version,
              conversions: summary.conversions,
              outcomeDefinition: byOutcome.definition,
              data:
                byOutcome.kind === "binary"
                  ? { type: "binary", intervention: { events: active.events, n: active.n }, comparator: { events: control.events, n: control.n } }
                  : {
                      type: "continuous",
                      intervention: { mean: active.mean, sd: active.sd, n: active.n },
                      comparator: { mean: control.mean, sd: control.sd, n: control.n },
                    },
            });
          }
        }
      }
    }

    for (const { result, profileId } of sources.mappedOf(study.id)) {
      if (result.outcomeId !== chosen.id || !profileIds.has(profileId)) continue;
      const intervention = arms.find((a) => a.id === result.interventionArmId)!;
      const control = arms.find((a) => a.id === result.comparatorArmId)!;
      const profile = sources.profiles.find((p) => p.id === profileId)!;
      inputs.push({
        ...base,
        id: `summary:${result.id}:${profileId}`,
        rowKey: intervention.name.trim().toLowerCase(),
        interventionName: intervention.name,
        interventionClass: intervention.class,
        dose: intervention.dose,
        comparatorName: control.name,
        profileId,
        source: "summary",
        resultId: result.id,
        resultVersion: result.version,
        subgroup: result.subgroup,
        cutoffDifferences: compareSubgroupWithProfile(result.subgroup, profile.criteria, sources.workspaceMarkers).differences,
        data:
          result.type === "continuous"
            ? {
                type: "continuous",
                intervention: { mean: result.interventionMean!, sd: result.interventionSd!, n: result.interventionN! },
                comparator: { mean: result.comparatorMean!, sd: result.comparatorSd!, n: result.comparatorN! },
              }
            : result.type === "binary"
              ? {
                  type: "binary",
                  intervention: { events: result.interventionEvents!, n: result.interventionN! },
                  comparator: { events: result.comparatorEvents!, n: result.comparatorN! },
                }
              : {
                  type: "estimate",
                  measure: result.measure!,
                  estimate: result.estimate!,
                  ciLower: result.ciLower!,
                  ciUpper: result.ciUpper!,
                  ...(result.interventionN !== null ? { interventionN: result.interventionN } : {}),
                  ...(result.comparatorN !== null ? { comparatorN: result.comparatorN } : {}),
                },
      });
    }
  }
  return inputs;
}

export interface ComparisonView {
  outcomes: OutcomeOption[];
  outcome: (OutcomeOption & { higherIsBetter: boolean }) | null;
  measure: EffectMeasure;
  measures: EffectMeasure[];
  method: ComparisonOptions["method"];
  knha: boolean;
  prefer: SourcePreference;
  exclude: string[];
  profiles: { id: string; name: string; version: number; text: string; description: string }[];
  rows: MatrixRow[];
  /** The inputs used (one per study, row and profile), for forest plots and provenance. */
  inputs: ComparisonInput[];
  /** Inputs set aside because the same study gave the preferred kind for the cell. */
  setAside: { input: ComparisonInput; usedInstead: string }[];
  studies: { id: string; title: string }[];
}

function resolve(actor: PublicUser, workspaceId: string, query: ReturnType<typeof ComparisonQuery.parse>): ComparisonView {
  const sources = loadSources(getDb(), workspaceId);
  const outcomes = outcomeOptions(sources);
  const labelOf = labelLookup(sources.workspaceMarkers);
  const profiles = sources.profiles.map((p) => ({
    id: p.id,
    name: p.name,
    version: p.version,
    description: p.description,
    text: describeCriteria(p.criteria, labelOf),
  }));
  let outcome: OutcomeOption | null = outcomes[0] ?? null;
  if (query.outcome) {
    outcome = outcomes.find((o) => o.key === outcomeKey(query.outcome!)) ?? null;
    if (!outcome) {
      throw validationFailed(`outcome: no study in this workspace measures “${query.outcome}”.`, [
        { field: "outcome", message: `No study in this workspace measures “${query.outcome}”.` },
      ]);
    }
  }
  const measures = measuresFor(outcome?.kind ?? "continuous");
  const measure = query.measure ?? measures[0];
  if (!measures.includes(measure)) {
    throw validationFailed(`measure: ${outcome?.name ?? "This outcome"} is ${outcome?.kind ?? "continuous"}; choose ${measures.join(" or ")}.`, [
      { field: "measure", message: `Choose ${measures.join(" or ")} for a ${outcome?.kind ?? "continuous"} outcome.` },
    ]);
  }
  const options: ComparisonOptions = { measure, method: query.method, knha: query.knha, exclude: query.exclude };
  const { used, setAside } = outcome ? selectInputs(collectInputs(sources, outcome), query.prefer) : { used: [], setAside: [] };
  return {
    outcomes,
    outcome: outcome ? { ...outcome, higherIsBetter: higherIsBetter(outcome.name) } : null,
    measure,
    measures,
    method: query.method,
    knha: query.knha,
    prefer: query.prefer,
    exclude: query.exclude,
    profiles,
    rows: buildMatrix(used, profiles.map((p) => p.id), options),
    inputs: used,
    setAside,
    studies: sources.studies.map((s) => ({ id: s.id, title: s.title })),
  };
}

export function getComparison(actor: PublicUser, workspaceId: string, query: unknown): ComparisonView {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  return resolve(actor, workspaceId, parseInput(ComparisonQuery, query));
}

export interface ComparisonCell {
  view: ComparisonView;
  row: MatrixRow;
  profileIds: string[];
  inputs: ComparisonInput[];
  forest: ForestAnalysis;
}

/** One cell (a row and a profile) or a whole row (every profile): the forest plot's numbers. */
export function getComparisonCell(actor: PublicUser, workspaceId: string, query: unknown): ComparisonCell {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  const parsed = parseInput(ComparisonCellQuery, query);
  const view = resolve(actor, workspaceId, parsed);
  const row = view.rows.find((r) => r.key === parsed.row);
  if (!row) throw notFound("No such row in this comparison (rows are keyed class:<class> or intervention:<name>).");
  if (parsed.profile && !view.profiles.some((p) => p.id === parsed.profile)) throw notFound("No patient profile with this id in this workspace.");
  const profileIds = parsed.profile ? [parsed.profile] : view.profiles.map((p) => p.id);
  const inputs = inputsOfRow(view.inputs, row.key).filter((i) => profileIds.includes(i.profileId));
  const forest = analyseForest(inputs, profileIds, { measure: view.measure, method: view.method, knha: view.knha, exclude: view.exclude });
  return { view, row, profileIds, inputs, forest };
}

/** For the profile page: the summaries of every participant-level dataset for one profile. */
export function datasetSummariesForProfile(workspaceId: string, profileId: string) {
  const sources = loadSources(getDb(), workspaceId);
  const profile = sources.profiles.find((p) => p.id === profileId);
  if (!profile) return [];
  const rows: { studyId: string; studyTitle: string; datasetId: string; datasetName: string; version: number; summary: DatasetProfileSummary }[] = [];
  for (const study of sources.studies) {
    const panel = sources.panelOf(study.panelId);
    for (const dataset of sources.datasetsOf(study.id)) {
      const summary = summariseDataset(
        {
          dataset,
          studyKey: `${study.id}@${study.version}`,
          outcomes: sources.outcomesOf(study.id).map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
          panelKey: panel.key,
          biomarkers: panel.biomarkers,
        },
        [profile],
      ).get(profile.id)!;
      rows.push({ studyId: study.id, studyTitle: study.title, datasetId: dataset.id, datasetName: dataset.name, version: dataset.version, summary });
    }
  }
  return rows;
}

export interface ProfileCountsView {
  profileId: string;
  version: number;
  datasets: {
    studyId: string;
    studyTitle: string;
    datasetId: string;
    datasetName: string;
    version: number;
    evaluable: boolean;
    problems: DatasetProfileSummary["problems"];
    conversions: string[];
    arms: DatasetProfileSummary["arms"];
  }[];
}

/** How many participants of each arm of each participant-level dataset match the profile, and which datasets cannot be evaluated and why. */
export function getProfileCounts(actor: PublicUser, workspaceId: string, profileId: string): ProfileCountsView {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  const profile = workspaceProfiles(getDb(), workspaceId).find((p) => p.id === profileId);
  if (!profile) throw notFound("No patient profile with this id in this workspace.");
  return {
    profileId,
    version: profile.version,
    datasets: datasetSummariesForProfile(workspaceId, profileId).map(({ summary, ...d }) => ({
      ...d,
      evaluable: summary.evaluable,
      problems: summary.problems,
      conversions: summary.conversions,
      arms: summary.arms,
    })),
  };
}
