/**
 * What the comparison and the effect-modification analysis read from a
 * workspace, in a handful of queries: studies with their arms, outcomes,
 * mapped results and newest ready participant-level datasets, the panels'
 * biomarkers (with the keys that change when units change), and profiles.
 */
import { createHash } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import type { Reader } from "#db/client.ts";
import { panelBiomarkers, panels, resultProfileMappings, results, studies, studyArms, studyOutcomes } from "#db/schema.ts";
import type { ComparisonStudy } from "#app/domain/comparison-inputs.ts";
import type { BiomarkerInfo } from "#app/domain/profile-plan.ts";
import { analysisColumns, latestReadyDatasets } from "./dataset-views.server.ts";
import { workspaceBiomarkers, workspaceProfiles } from "./profiles.server.ts";
import { latestSiteSummaries } from "./site-summaries.server.ts";

type Db = Reader;

/** A study with what the participant summaries' cache keys need besides the comparison's view of it. */
export type LoadedStudy = ComparisonStudy & { version: number; panelId: string | null };

/** Everything the comparison reads, in a handful of queries. */
export async function loadSources(db: Db, workspaceId: string) {
  const studyRows = await db.select().from(studies).where(eq(studies.workspaceId, workspaceId)).orderBy(asc(studies.title));
  const studyIds = studyRows.map((s) => s.id);
  const arms = studyIds.length
    ? await db.select().from(studyArms).where(inArray(studyArms.studyId, studyIds)).orderBy(asc(studyArms.position))
    : [];
  const outcomes = studyIds.length
    ? await db.select().from(studyOutcomes).where(inArray(studyOutcomes.studyId, studyIds)).orderBy(asc(studyOutcomes.position))
    : [];
  const mapped = await db
    .select({ result: results, profileId: resultProfileMappings.profileId })
    .from(results)
    .innerJoin(resultProfileMappings, eq(resultProfileMappings.resultId, results.id))
    .where(eq(results.workspaceId, workspaceId));
  // A dataset with visits is seen as one row per participant (decision 030); its rows are read the same way.
  const datasetRows = (await latestReadyDatasets(db, { workspaceId }, "participant")).map((d) => ({
    ...d,
    columns: analysisColumns(d.columns),
  }));
  const panelIds = [...new Set(studyRows.map((s) => s.panelId).filter((id): id is string => Boolean(id)))];
  const panelRows = panelIds.length ? await db.select().from(panels).where(inArray(panels.id, panelIds)) : [];
  const biomarkerRows = panelIds.length
    ? await db.select().from(panelBiomarkers).where(inArray(panelBiomarkers.panelId, panelIds)).orderBy(asc(panelBiomarkers.position))
    : [];
  const workspaceMarkers = await workspaceBiomarkers(db, workspaceId);
  // A study without a panel is read with every panel's biomarkers: its cache key follows their content.
  const noPanel = {
    key: `none:${createHash("sha1").update(JSON.stringify(workspaceMarkers)).digest("hex").slice(0, 16)}`,
    biomarkers: workspaceMarkers,
  };
  const panelsById = new Map(
    panelRows.map((p) => [
      p.id,
      { key: `${p.id}@${p.version}`, biomarkers: biomarkerRows.filter((b) => b.panelId === p.id) as BiomarkerInfo[] },
    ]),
  );
  const armsByStudy = groupBy(arms, (a) => a.studyId);
  const outcomesByStudy = groupBy(outcomes, (o) => o.studyId);
  const datasetsByStudy = groupBy(datasetRows, (d) => d.studyId);
  const sitesByStudy = groupBy(await latestSiteSummaries(db, workspaceId), (s) => s.studyId);
  const mappedByStudy = groupBy(mapped, (m) => m.result.studyId);
  const loaded: LoadedStudy[] = studyRows.map((s) => ({
    id: s.id,
    title: s.title,
    population: s.population,
    version: s.version,
    panelId: s.panelId,
    arms: armsByStudy.get(s.id) ?? [],
    outcomes: (outcomesByStudy.get(s.id) ?? []).map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
    datasets: datasetsByStudy.get(s.id) ?? [],
    sites: (sitesByStudy.get(s.id) ?? []).map((site) => ({ id: site.id, site: site.site, version: site.version, summary: site.content })),
    mapped: mappedByStudy.get(s.id) ?? [],
  }));
  return {
    studies: loaded,
    panelOf: (panelId: string | null) => (panelId && panelsById.get(panelId)) || noPanel,
    workspaceMarkers,
    profiles: await workspaceProfiles(db, workspaceId),
  };
}

export type Sources = Awaited<ReturnType<typeof loadSources>>;

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
