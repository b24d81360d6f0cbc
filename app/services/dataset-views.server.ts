/** Reading datasets: one version, its rows, its summary, its versions, and the CSV export. */
import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import { getDb, type Reader } from "#db/client.ts";
import { datasetRows, datasets, studies, users, type Dataset } from "#db/schema.ts";
import { participantView } from "#app/domain/dataset-visits.ts";
import { toSafeCsv } from "#app/domain/spreadsheet-safety.ts";
import { DatasetRowsQuery } from "#app/schemas/datasets.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { DatasetRowsPage, DatasetVersionSummary, DatasetView } from "#app/public-shapes/datasets.ts";
import type { StudyDataset } from "#app/public-shapes/studies.ts";
import { notFound } from "./errors.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export type { DatasetRowsPage, DatasetVersionSummary, DatasetView };

/** Datasets whose import has finished; one still being written does not exist for readers. */
export const datasetIsReady = eq(datasets.status, "ready");

/** A dataset of this workspace; 404 when it is not in it (or still being imported). */
export async function loadDataset(db: Reader, workspaceId: string, datasetId: string): Promise<DatasetView> {
  const found = (
    await db
      .select({ dataset: datasets, uploadedByName: users.name, studyTitle: studies.title })
      .from(datasets)
      .innerJoin(users, eq(users.id, datasets.uploadedBy))
      .innerJoin(studies, eq(studies.id, datasets.studyId))
      .where(and(eq(datasets.id, datasetId), datasetIsReady))
  )[0];
  if (!found || found.dataset.workspaceId !== workspaceId) throw notFound("No dataset with this id in this workspace.");
  return { ...found.dataset, uploadedByName: found.uploadedByName, studyTitle: found.studyTitle };
}

export async function getDataset(actor: PublicUser, workspaceId: string, datasetId: string): Promise<DatasetView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadDataset(getDb(), workspaceId, datasetId);
}

export async function listDatasetRows(actor: PublicUser, workspaceId: string, datasetId: string, query: unknown): Promise<DatasetRowsPage> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const dataset = await loadDataset(getDb(), workspaceId, datasetId);
  const { offset, limit } = parseInput(DatasetRowsQuery, query);
  const items = await getDb()
    .select({ rowIndex: datasetRows.rowIndex, participantId: datasetRows.participantId, arm: datasetRows.arm, values: datasetRows.values })
    .from(datasetRows)
    .where(and(eq(datasetRows.datasetId, dataset.id), gte(datasetRows.rowIndex, offset), lt(datasetRows.rowIndex, offset + limit)))
    .orderBy(asc(datasetRows.rowIndex));
  return { total: dataset.rowCount, offset, items };
}

/** Every version of the dataset of this name in the study, newest first. */
export async function listDatasetVersions(actor: PublicUser, workspaceId: string, datasetId: string): Promise<DatasetVersionSummary[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const dataset = await loadDataset(getDb(), workspaceId, datasetId);
  return await getDb()
    .select({
      id: datasets.id,
      name: datasets.name,
      version: datasets.version,
      rowCount: datasets.rowCount,
      kind: datasets.kind,
      createdAt: datasets.createdAt,
      uploadedByName: users.name,
    })
    .from(datasets)
    .innerJoin(users, eq(users.id, datasets.uploadedBy))
    .where(and(eq(datasets.studyId, dataset.studyId), eq(datasets.name, dataset.name), datasetIsReady))
    .orderBy(desc(datasets.version));
}

/**
 * The newest ready version of each dataset (a re-upload replaces what counts),
 * of one workspace or one study, optionally of one kind. The one place that
 * knows what "the current datasets" are; callers check access.
 */
export async function latestReadyDatasets(db: Reader, scope: { workspaceId: string } | { studyId: string }, kind?: Dataset["kind"]) {
  const inScope = "studyId" in scope ? eq(datasets.studyId, scope.studyId) : eq(datasets.workspaceId, scope.workspaceId);
  const where = and(inScope, datasetIsReady, kind ? eq(datasets.kind, kind) : undefined);
  const newest = db
    .select({ studyId: datasets.studyId, name: datasets.name, version: sql<number>`max(${datasets.version})`.as("newest_version") })
    .from(datasets)
    .where(where)
    .groupBy(datasets.studyId, datasets.name)
    .as("newest");
  return await db
    .select({
      id: datasets.id,
      studyId: datasets.studyId,
      name: datasets.name,
      kind: datasets.kind,
      version: datasets.version,
      rowCount: datasets.rowCount,
      columns: datasets.columns,
    })
    .from(datasets)
    .innerJoin(newest, and(eq(newest.studyId, datasets.studyId), eq(newest.name, datasets.name), eq(newest.version, datasets.version)))
    .where(where)
    .orderBy(asc(datasets.name));
}

/** The newest version of each of a study's datasets, by name (the caller has already read the study). */
export async function latestDatasetsOfStudy(studyId: string): Promise<StudyDataset[]> {
  return (await latestReadyDatasets(getDb(), { studyId })).map(({ id, name, version, rowCount }) => ({ id, name, version, rowCount }));
}

/** The header the export writes for a column: a biomarker's code and unit, since its values are harmonised. */
export function exportHeader(column: Dataset["columns"][number]): string {
  if (column.role === "biomarker" && column.biomarker) return column.unit ? `${column.biomarker} (${column.unit})` : column.biomarker;
  return column.name;
}

/**
 * The harmonised dataset as CSV. Every cell passes the formula-injection
 * guard, so a participant id like "=HYPERLINK(…)" opens as text.
 */
export async function exportDatasetCsv(
  actor: PublicUser,
  workspaceId: string,
  datasetId: string,
): Promise<{ fileName: string; csv: string }> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const dataset = await loadDataset(getDb(), workspaceId, datasetId);
  const rows = await getDb()
    .select({ values: datasetRows.values })
    .from(datasetRows)
    .where(eq(datasetRows.datasetId, dataset.id))
    .orderBy(asc(datasetRows.rowIndex));
  const csv = toSafeCsv([dataset.columns.map(exportHeader), ...rows.map((r) => r.values)]);
  const safeName = dataset.name.replace(/[^\w.-]+/g, "_").slice(0, 80) || "dataset";
  return { fileName: `${safeName}-v${dataset.version}.csv`, csv };
}

/** Rows read per query: one pass over a large dataset without holding all of it at once. */
const ROWS_PER_PAGE = 5000;

/**
 * Every row of a dataset (arm and values) as the analyses read participant-level data: in order, a
 * page at a time. A dataset with a visit column is read whole and given one row per participant
 * (participantView, decision 030), aligned with the columns `analysisColumns` gives.
 */
export async function* datasetRowsInPages(datasetId: string) {
  const stored = (await getDb().select({ columns: datasets.columns }).from(datasets).where(eq(datasets.id, datasetId)))[0];
  const view = participantView(stored?.columns ?? []);
  if (view.byVisit) {
    const rows = await getDb()
      .select({ participantId: datasetRows.participantId, arm: datasetRows.arm, values: datasetRows.values })
      .from(datasetRows)
      .where(eq(datasetRows.datasetId, datasetId))
      .orderBy(asc(datasetRows.rowIndex));
    yield* view.collapse(rows).map(({ arm, values }) => ({ arm, values }));
    return;
  }
  for (let from = 0; ; from += ROWS_PER_PAGE) {
    const page = await getDb()
      .select({ arm: datasetRows.arm, values: datasetRows.values })
      .from(datasetRows)
      .where(and(eq(datasetRows.datasetId, datasetId), gte(datasetRows.rowIndex, from), lt(datasetRows.rowIndex, from + ROWS_PER_PAGE)))
      .orderBy(asc(datasetRows.rowIndex));
    yield* page;
    if (page.length < ROWS_PER_PAGE) return;
  }
}

/** The columns the analyses see of a dataset: as stored, or one row per participant's view of a dataset with visits. */
export const analysisColumns = (columns: Dataset["columns"]) => participantView(columns).columns;
