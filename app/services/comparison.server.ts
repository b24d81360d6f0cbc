import { getDb } from "#db/client.ts";
import {
  analyseForest,
  buildMatrix,
  type ComparisonOptions,
  higherIsBetter,
  inputsOfRow,
  measuresFor,
  selectInputs,
} from "#app/domain/comparison.ts";
import { collectInputs, comparatorOf, type OutcomeOption, outcomeKey, outcomeOptions } from "#app/domain/comparison-inputs.ts";
import { describeCriteria } from "#app/domain/profiles.ts";
import type { DatasetProfileSummary, ProfileCountsView } from "#app/domain/profile-summaries.ts";
import { ComparisonCellQuery, ComparisonQuery, WithinTrialQuery } from "#app/schemas/comparison.ts";
import { withinTrialDifferences } from "#app/domain/subgroup-difference.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { ComparisonCell, ComparisonView, WithinTrialView } from "#app/public-shapes/comparison.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { summariseDataset } from "./participant-summaries.server.ts";
import { labelLookup, workspaceProfiles } from "./profiles.server.ts";
import { type LoadedStudy, loadSources, type Sources } from "./comparison-sources.server.ts";
import { registrationMarks } from "./registrations.server.ts";
import { parseInput } from "./validation.server.ts";

export type { ComparisonCell, ComparisonView };

/** One dataset's summaries for the given profiles (cached by the participant-summaries service). */
async function summarise(sources: Sources, study: LoadedStudy, dataset: LoadedStudy["datasets"][number], profiles: Sources["profiles"]) {
  const panel = sources.panelOf(study.panelId);
  return await summariseDataset(
    { dataset, studyKey: `${study.id}@${study.version}`, outcomes: study.outcomes, panelKey: panel.key, biomarkers: panel.biomarkers },
    profiles,
  );
}

/** The participant summaries the chosen outcome needs: every dataset of a study that measures it and has a comparator. */
async function summariesFor(sources: Sources, outcome: OutcomeOption): Promise<Map<string, Map<string, DatasetProfileSummary>>> {
  const byDataset = new Map<string, Map<string, DatasetProfileSummary>>();
  if (!sources.profiles.length) return byDataset;
  for (const study of sources.studies) {
    if (!comparatorOf(study.arms) || !study.outcomes.some((o) => outcomeKey(o.name) === outcome.key)) continue;
    for (const dataset of study.datasets) byDataset.set(dataset.id, await summarise(sources, study, dataset, sources.profiles));
  }
  return byDataset;
}

async function resolve(workspaceId: string, query: ReturnType<typeof ComparisonQuery.parse>): Promise<ComparisonView> {
  const sources = await loadSources(getDb(), workspaceId);
  const outcomes = outcomeOptions(sources.studies);
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
    throw validationFailed(
      `measure: ${outcome?.name ?? "This outcome"} is ${outcome?.kind ?? "continuous"}; choose ${measures.join(" or ")}.`,
      [{ field: "measure", message: `Choose ${measures.join(" or ")} for a ${outcome?.kind ?? "continuous"} outcome.` }],
    );
  }
  const options: ComparisonOptions = { measure, method: query.method, knha: query.knha, exclude: query.exclude };
  const candidates = outcome
    ? collectInputs(sources.studies, sources.profiles, outcome, await summariesFor(sources, outcome), sources.workspaceMarkers)
    : [];
  const { used, setAside } = selectInputs(candidates, query.prefer);
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
    rows: buildMatrix(
      used,
      profiles.map((p) => p.id),
      options,
    ),
    inputs: used,
    setAside,
    studies: sources.studies.map((s) => ({ id: s.id, title: s.title })),
  };
}

export async function getComparison(actor: PublicUser, workspaceId: string, query: unknown): Promise<ComparisonView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const view = await resolve(workspaceId, parseInput(ComparisonQuery, query));
  // Each column says whether its profile was pre-registered: every input that fed it counts, set-aside ones too.
  const marks = await registrationMarks(getDb(), workspaceId, {
    outcome: view.outcome?.name ?? null,
    profileIds: view.profiles.map((p) => p.id),
    inputs: [...view.inputs, ...view.setAside.map((s) => s.input)],
  });
  return { ...view, profiles: view.profiles.map((p) => ({ ...p, registration: marks?.get(p.id) ?? null })) };
}

/** One cell (a row and a profile) or a whole row (every profile): the forest plot's numbers. */
export async function getComparisonCell(actor: PublicUser, workspaceId: string, query: unknown): Promise<ComparisonCell> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const parsed = parseInput(ComparisonCellQuery, query);
  const view = await resolve(workspaceId, parsed);
  const row = view.rows.find((r) => r.key === parsed.row);
  if (!row) throw notFound("No such row in this comparison (rows are keyed class:<class> or intervention:<name>).");
  if (parsed.profile && !view.profiles.some((p) => p.id === parsed.profile))
    throw notFound("No patient profile with this id in this workspace.");
  const profileIds = parsed.profile ? [parsed.profile] : view.profiles.map((p) => p.id);
  const inputs = inputsOfRow(view.inputs, row.key).filter((i) => profileIds.includes(i.profileId));
  const forest = analyseForest(inputs, profileIds, { measure: view.measure, method: view.method, knha: view.knha, exclude: view.exclude });
  return { view, row, profileIds, inputs, forest };
}

/** For the profile page: the summaries of every participant-level dataset for one profile. */
export async function datasetSummariesForProfile(workspaceId: string, profileId: string) {
  const sources = await loadSources(getDb(), workspaceId);
  const profile = sources.profiles.find((p) => p.id === profileId);
  if (!profile) return [];
  const rows: {
    studyId: string;
    studyTitle: string;
    datasetId: string;
    datasetName: string;
    version: number;
    summary: DatasetProfileSummary;
  }[] = [];
  for (const study of sources.studies) {
    for (const dataset of study.datasets) {
      const summary = (await summarise(sources, study, dataset, [profile])).get(profile.id)!;
      rows.push({
        studyId: study.id,
        studyTitle: study.title,
        datasetId: dataset.id,
        datasetName: dataset.name,
        version: dataset.version,
        summary,
      });
    }
  }
  return rows;
}

/** How many participants of each arm of each participant-level dataset match the profile, and which datasets cannot be evaluated and why. */
export async function getProfileCounts(actor: PublicUser, workspaceId: string, profileId: string): Promise<ProfileCountsView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const profile = (await workspaceProfiles(getDb(), workspaceId)).find((p) => p.id === profileId);
  if (!profile) throw notFound("No patient profile with this id in this workspace.");
  return {
    profileId,
    version: profile.version,
    datasets: (await datasetSummariesForProfile(workspaceId, profileId)).map(({ summary, ...d }) => ({
      ...d,
      evaluable: summary.evaluable,
      problems: summary.problems,
      conversions: summary.conversions,
      arms: summary.arms,
    })),
  };
}

/**
 * Each trial's effect in profile a minus its effect in profile b, for one row,
 * pooled (app/domain/subgroup-difference.ts): participant-level trials
 * dichotomised by the profiles and trials that published only subgroup results, together.
 */
export async function getWithinTrialDifference(actor: PublicUser, workspaceId: string, query: unknown): Promise<WithinTrialView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const parsed = parseInput(WithinTrialQuery, query);
  const view = await resolve(workspaceId, parsed);
  const row = view.rows.find((r) => r.key === parsed.row);
  if (!row) throw notFound("No such row in this comparison (rows are keyed class:<class> or intervention:<name>).");
  const profileOf = (id: string, field: "a" | "b") => {
    const profile = view.profiles.find((p) => p.id === id);
    if (!profile)
      throw validationFailed(`${field}: no patient profile with this id in this workspace.`, [
        { field, message: "No patient profile with this id in this workspace." },
      ]);
    return { id: profile.id, name: profile.name };
  };
  const a = profileOf(parsed.a, "a");
  const b = profileOf(parsed.b, "b");
  if (a.id === b.id)
    throw validationFailed("b: choose two different profiles.", [{ field: "b", message: "Choose two different profiles." }]);
  const options = { measure: view.measure, method: view.method, knha: view.knha, exclude: view.exclude };
  const analysis = withinTrialDifferences(inputsOfRow(view.inputs, row.key), a.id, b.id, options);
  return { row: row.key, measure: view.measure, method: view.method, knha: view.knha, a, b, analysis };
}
