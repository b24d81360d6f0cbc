/**
 * Importing a dataset into a study: receive the file (streamed, size-capped),
 * read it incrementally, match its columns to the study's panel, harmonise
 * units, validate every cell, and only then write everything in one
 * transaction with one `dataset.imported` event. A file that cannot be
 * imported changes nothing. Re-uploading under the same name adds a version.
 */
import { createHash } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import { and, eq, max } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { datasets, datasetSources, type Dataset, type DatasetKind } from "#db/schema.ts";
import { firstProblem, planColumns, type BiomarkerRef, type ColumnPlan } from "#app/domain/dataset-columns.ts";
import { DatasetFileError, detectFormat } from "#app/domain/dataset-files.ts";
import { DatasetTableBuilder, type HarmonisedTable } from "#app/domain/dataset-table.ts";
import { UploadDatasetInput } from "#app/schemas/datasets.ts";
import type { PublicUser } from "./accounts.server.ts";
import { newId } from "./crypto.server.ts";
import { ServiceError } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { loadPanel } from "./panels.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { readRecords } from "./dataset-readers.server.ts";
import type { UploadedFile } from "./dataset-upload.server.ts";
import { loadStudy } from "./studies.server.ts";
import { parseInput } from "./validation.server.ts";

const ROWS_PER_TURN = 2000;

/** What a dry run proposes: the column matching, and the problem an import would hit (if any). */
export interface DatasetProposal {
  dryRun: true;
  fileName: string;
  format: "csv" | "xlsx";
  kind: DatasetKind;
  rowCount: number;
  columns: Omit<ColumnPlan, "index">[];
  warnings: HarmonisedTable["warnings"];
  problem: { status: number; message: string; details: Record<string, unknown>[] } | null;
}

/** Turns a file problem into the API's refusal (400 with the row/column, or 413/415). */
export function fileProblem(error: DatasetFileError): ServiceError {
  const code = error.status === 413 ? "too_large" : error.status === 415 ? "unsupported_media_type" : error.status === 422 ? "unprocessable" : "validation_failed";
  const { row, column, byteOffset } = error.where;
  const detail = { message: error.message, ...(row !== undefined ? { row } : {}), ...(column !== undefined ? { column } : {}), ...(byteOffset !== undefined ? { byteOffset } : {}) };
  return new ServiceError(error.status, code, error.message, [detail]);
}

function panelBiomarkers(workspaceId: string, panelId: string | null): BiomarkerRef[] {
  if (!panelId) return [];
  return loadPanel(getDb(), workspaceId, panelId).biomarkers;
}

/**
 * Imports (or, with `dryRun`, only plans) an uploaded file. `receive` reads the
 * request body; it runs only after the caller's role and the study are checked.
 */
export async function importDataset(
  actor: PublicUser,
  workspaceId: string,
  studyId: string,
  receive: () => Promise<UploadedFile>,
  options: { dryRun?: boolean } = {},
): Promise<Dataset | DatasetProposal> {
  requireWorkspaceRole(actor.id, workspaceId, "contributor");
  const study = loadStudy(getDb(), workspaceId, studyId);
  try {
    const upload = await receive();
    const input = parseInput(UploadDatasetInput, { name: upload.fields.name, kind: upload.fields.kind, mapping: upload.fields.mapping });
    const format = detectFormat(upload.bytes, upload.contentType, upload.fileName);
    const biomarkers = panelBiomarkers(workspaceId, study.panelId);

    const records = readRecords(upload.bytes, format);
    const first = await records.next();
    if (first.done) throw new DatasetFileError("The file is empty.");
    const header = first.value.cells;
    const plans = planColumns(header, biomarkers, input.mapping, input.kind);
    const planProblem = firstProblem(plans);
    if (options.dryRun && planProblem) return proposal(upload, format, input.kind, plans, 0, [], planProblem);
    if (planProblem) throw planProblem;

    const builder = new DatasetTableBuilder(plans, input.kind, header.length);
    let sinceTurn = 0;
    try {
      for await (const record of records) {
        builder.add(record);
        if (++sinceTurn >= ROWS_PER_TURN) {
          sinceTurn = 0;
          await nextTurn();
        }
      }
    } catch (error) {
      if (options.dryRun && error instanceof DatasetFileError) return proposal(upload, format, input.kind, plans, builder.rowCount, [], error);
      throw error;
    }
    const table = builder.finish();
    if (options.dryRun) return proposal(upload, format, input.kind, plans, table.rows.length, table.warnings, null);

    const name = input.name ?? (upload.fileName.replace(/\.(csv|xlsx)$/i, "").trim() || "Dataset");
    return await saveDataset(actor, workspaceId, studyId, { name, kind: input.kind, format, upload, table });
  } catch (error) {
    if (error instanceof DatasetFileError) throw fileProblem(error);
    throw error;
  }
}

function proposal(
  upload: UploadedFile,
  format: "csv" | "xlsx",
  kind: DatasetKind,
  plans: ColumnPlan[],
  rowCount: number,
  warnings: HarmonisedTable["warnings"],
  problem: DatasetFileError | null,
): DatasetProposal {
  const refusal = problem ? fileProblem(problem) : null;
  return {
    dryRun: true,
    fileName: upload.fileName,
    format,
    kind,
    rowCount,
    columns: plans.map(({ index: _index, ...plan }) => plan),
    warnings,
    problem: refusal ? { status: refusal.status, message: refusal.message, details: refusal.details as Record<string, unknown>[] } : null,
  };
}

interface Prepared {
  name: string;
  kind: DatasetKind;
  format: "csv" | "xlsx";
  upload: UploadedFile;
  table: HarmonisedTable;
}

async function saveDataset(actor: PublicUser, workspaceId: string, studyId: string, prepared: Prepared): Promise<Dataset> {
  const { upload, table } = prepared;
  // Serialise rows before the transaction (yielding as we go), so the transaction itself is only inserts.
  const serialised: string[] = new Array(table.rows.length);
  for (let i = 0; i < table.rows.length; i++) {
    serialised[i] = JSON.stringify(table.rows[i].values);
    if (i % 10_000 === 9_999) await nextTurn();
  }
  const sha256 = createHash("sha256").update(upload.bytes).digest("hex");

  return writeTransaction(({ tx, record }) => {
    requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    loadStudy(tx, workspaceId, studyId);
    const previous = tx
      .select({ version: max(datasets.version) })
      .from(datasets)
      .where(and(eq(datasets.studyId, studyId), eq(datasets.name, prepared.name)))
      .get();
    const dataset: Dataset = {
      id: newId(),
      workspaceId,
      studyId,
      name: prepared.name,
      kind: prepared.kind,
      version: (previous?.version ?? 0) + 1,
      rowCount: table.rows.length,
      columns: table.columns,
      warnings: table.warnings,
      summary: table.summary,
      sourceFileName: upload.fileName.slice(0, 255),
      sourceFormat: prepared.format,
      sourceBytes: upload.bytes.length,
      sourceSha256: sha256,
      uploadedBy: actor.id,
      createdAt: new Date(),
    };
    tx.insert(datasets).values(dataset).run();
    tx.insert(datasetSources).values({ datasetId: dataset.id, content: upload.bytes }).run();
    // One prepared statement, run per row inside this transaction: the fast path of better-sqlite3.
    const insertRow = getDb().$client.prepare(
      'INSERT INTO dataset_rows (dataset_id, row_index, participant_id, arm, "values") VALUES (?, ?, ?, ?, ?)',
    );
    table.rows.forEach((row, i) => insertRow.run(dataset.id, i, row.participantId, row.arm, serialised[i]));
    record({
      workspaceId,
      actorId: actor.id,
      type: "dataset.imported",
      target: { type: "dataset", id: dataset.id },
      payload: {
        studyId,
        name: dataset.name,
        version: dataset.version,
        kind: dataset.kind,
        rowCount: dataset.rowCount,
        conversions: table.columns
          .filter((c) => c.convertedFrom)
          .map((c) => ({ column: c.name, biomarker: c.biomarker, from: c.convertedFrom, to: c.unit })),
      },
    });
    return dataset;
  });
}
