/**
 * Importing a dataset into a study: receive the file (streamed, size-capped),
 * then, in a worker thread, read it, match its columns to the study's panel,
 * harmonise units and validate every cell; only then write it, here: in chunks
 * that let other requests through, behind an "importing" status no reader sees, made visible
 * at once with one `dataset.imported` event (see `saveDataset`). A file that
 * cannot be imported changes nothing. Re-uploading under the same name adds a
 * version.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { and, eq, gte, isNull, lt, max, min, or } from "drizzle-orm";
import { getDb, transaction } from "#db/client.ts";
import { datasetRows, datasets, type Dataset } from "#db/schema.ts";
import type { DatasetKind } from "#app/domain/datasets.ts";
import type { RepeatRule } from "#app/domain/clinical-records.ts";
import type { ColumnPlan } from "#app/domain/dataset-columns.ts";
import { DatasetFileError, detectFormat, type FileFormat } from "#app/domain/dataset-files.ts";
import { looksLikeRedcapRecords, type PanelFieldRef } from "#app/domain/redcap-records.ts";
import type { HarmonisedTable } from "#app/domain/dataset-table.ts";
import { UploadDatasetInput } from "#app/schemas/datasets.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { DatasetProposal } from "#app/public-shapes/datasets.ts";
import { newId } from "./crypto.server.ts";
import { notFound, ServiceError } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { loadPanel } from "./panels.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { ImportProgressRelay } from "./dataset-import-progress.server.ts";
import { parseInWorker, type ParsedOutcome, type ParsedUpload } from "./dataset-parse-pool.server.ts";
import { fromFileProblem } from "./dataset-parsing.server.ts";
import type { ClinicalRecordsRequest, RecordsInfo, RecordsSource } from "./dataset-records.server.ts";
import type { UploadedFile } from "./dataset-upload.server.ts";
import { importWrites, leaseFromNow } from "./dataset-import-writes.server.ts";
import { loadStudy } from "./studies.server.ts";
import { parseInput } from "./validation.server.ts";

/**
 * Rows per transaction: written while saving on PostgreSQL (from this thread, a turn of the event loop
 * between chunks; on SQLite the import worker writes in a stretch that gives way to waiting writes),
 * and removed when an unfinished import is discarded.
 */
const ROWS_PER_CHUNK = 500;

export type { DatasetProposal };

/** Turns a file problem into the API's refusal (400 with the row/column, or 413/415). */
export function fileProblem(error: DatasetFileError): ServiceError {
  const code =
    error.status === 413
      ? "too_large"
      : error.status === 415
        ? "unsupported_media_type"
        : error.status === 422
          ? "unprocessable"
          : "validation_failed";
  const { row, column, byteOffset } = error.where;
  const detail = {
    message: error.message,
    ...(row !== undefined ? { row } : {}),
    ...(column !== undefined ? { column } : {}),
    ...(byteOffset !== undefined ? { byteOffset } : {}),
  };
  return new ServiceError(error.status, code, error.message, [detail]);
}

/**
 * Whether the upload is clinical records, and how to read them: REDCap records when asked
 * (`format=redcap`) or when the CSV's header is a records export's, ODM when the file is XML.
 * A dictionary sent with anything else is refused rather than ignored.
 */
function recordsRequest(
  upload: UploadedFile,
  format: FileFormat,
  input: { format?: "table" | "redcap" | "odm"; repeats: RepeatRule },
  panel: PanelFieldRef[],
): ClinicalRecordsRequest | null {
  let source: RecordsSource | null = null;
  if (format === "xml") {
    if (input.format && input.format !== "odm")
      throw new DatasetFileError(`An XML file is read as CDISC ODM clinical data, not as ${input.format}.`, { column: "format" });
    source = "odm";
  } else if (input.format === "odm") {
    throw new DatasetFileError("format=odm needs an XML file (CDISC ODM with ClinicalData).", { column: "format" }, 415);
  } else if (
    input.format === "redcap" ||
    (input.format === undefined && format === "csv" && looksLikeRedcapRecords(headOf(upload.bytes)))
  ) {
    if (format !== "csv")
      throw new DatasetFileError("A REDCap records export is a CSV file; this one is a workbook.", { column: "format" }, 415);
    source = "redcap";
  }
  if (upload.dictionary && source !== "redcap") {
    throw new DatasetFileError(
      "A dictionary goes with a REDCap records export (a CSV starting “record_id”, with REDCap's columns, or sent with format=redcap); this file is not one.",
      { column: "dictionary" },
    );
  }
  if (!source) return null;
  return { source, dictionary: upload.dictionary ?? null, panelFields: panel, repeats: input.repeats };
}

const headOf = (bytes: Buffer) => bytes.subarray(0, 4096).toString("utf8");

/**
 * Imports (or, with `dryRun`, only plans) an uploaded file. `receive` reads the
 * request body; it runs only after the caller's role and the study are checked.
 * The file is read and checked in a worker thread (dataset-parse-pool.server.ts);
 * this thread only writes the rows that come back.
 */
export async function importDataset(
  actor: PublicUser,
  workspaceId: string,
  studyId: string,
  receive: () => Promise<UploadedFile>,
  options: { dryRun?: boolean } = {},
): Promise<Dataset | DatasetProposal> {
  await requireWorkspaceRole(actor.id, workspaceId, "contributor");
  const study = await loadStudy(getDb(), workspaceId, studyId);
  try {
    const upload = await receive();
    const input = parseInput(UploadDatasetInput, {
      name: upload.fields.name,
      kind: upload.fields.kind,
      mapping: upload.fields.mapping,
      uploadId: upload.fields.uploadId,
      format: upload.fields.format,
      repeats: upload.fields.repeats,
    });
    const format = detectFormat(upload.bytes, upload.contentType, upload.fileName);
    const panel = study.panelId ? (await loadPanel(getDb(), workspaceId, study.panelId)).biomarkers : [];
    const records = recordsRequest(upload, format, input, panel);
    const progress = new ImportProgressRelay(actor.id, input.uploadId);

    const parsed = await parseInWorker(
      { bytes: upload.bytes, format, kind: input.kind, mapping: input.mapping, biomarkers: panel, ...(records ? { records } : {}) },
      (p) => progress.checking(p),
    );
    try {
      const { outcome } = parsed;
      if (!outcome.ok) {
        if (options.dryRun && outcome.plans)
          return proposal(
            upload,
            format,
            input.kind,
            outcome.plans,
            outcome.rowsChecked,
            [],
            fromFileProblem(outcome.problem),
            outcome.records,
          );
        throw fromFileProblem(outcome.problem);
      }
      if (options.dryRun)
        return proposal(upload, format, input.kind, outcome.plans, outcome.rowCount, outcome.table.warnings, null, outcome.records);
      progress.checked(outcome.rowCount);
      const name = input.name ?? (upload.fileName.replace(/\.(csv|xlsx|xml)$/i, "").trim() || "Dataset");
      const dataset = await saveDataset(actor, workspaceId, studyId, {
        name,
        kind: input.kind,
        format,
        upload,
        checked: outcome,
        parsed,
        progress,
      });
      progress.done();
      return dataset;
    } finally {
      parsed.release();
    }
  } catch (error) {
    if (error instanceof DatasetFileError) throw fileProblem(error);
    throw error;
  }
}

function proposal(
  upload: UploadedFile,
  format: FileFormat,
  kind: DatasetKind,
  plans: ColumnPlan[],
  rowCount: number,
  warnings: HarmonisedTable["warnings"],
  problem: DatasetFileError | null,
  records: RecordsInfo | null,
): DatasetProposal {
  const refusal = problem ? fileProblem(problem) : null;
  return {
    dryRun: true,
    records,
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
  format: FileFormat;
  upload: UploadedFile;
  /** The checked file: its table's columns and summary here, its rows in the worker until written. */
  checked: Extract<ParsedOutcome, { ok: true }>;
  parsed: ParsedUpload;
  progress: ImportProgressRelay;
}

/**
 * Writes a validated table. A single transaction over 100,000 rows would hold
 * the event loop (and every other user) for a third of a second or more, so
 * the write happens in steps that yield in between, while users still see the
 * import whole or not at all:
 *  1. the dataset row is claimed with status "importing" (every reader ignores
 *     it) and a negative placeholder version;
 *  2. the source file, then the rows, go in small transactions that let other
 *     writes through (on SQLite written by the import worker itself, which
 *     makes way whenever another write waits: dataset-import-writes.server.ts);
 *  3. one small transaction takes the next version, flips the status to
 *     "ready" and records `dataset.imported`.
 * Any failure on the way removes what was written. A crash mid-way leaves an
 * "importing" dataset behind, which `discardInterruptedImports` removes at the
 * next start.
 */
async function saveDataset(actor: PublicUser, workspaceId: string, studyId: string, prepared: Prepared): Promise<Dataset> {
  const { upload } = prepared;
  const { table, rowCount, sha256 } = prepared.checked;

  // Not flushed at commit either (see the chunks below): an "importing" dataset is safe to lose.
  const claimed = await transaction(
    async (tx) => {
      await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
      await loadStudy(tx, workspaceId, studyId);
      // Unique per (study, name) like the real versions, and never mistaken for one.
      const lowest = (
        await tx
          .select({ version: min(datasets.version) })
          .from(datasets)
          .where(and(eq(datasets.studyId, studyId), eq(datasets.name, prepared.name)))
      )[0];
      const dataset: Dataset = {
        id: newId(),
        workspaceId,
        studyId,
        name: prepared.name,
        kind: prepared.kind,
        version: Math.min(0, lowest?.version ?? 0) - 1,
        status: "importing",
        rowCount,
        columns: table.columns,
        warnings: table.warnings,
        summary: table.summary,
        sourceFileName: upload.fileName.slice(0, 255),
        sourceFormat: prepared.format,
        sourceBytes: upload.bytes.length,
        sourceSha256: sha256,
        uploadedBy: actor.id,
        createdAt: new Date(),
        leaseExpiresAt: leaseFromNow(),
      };
      await tx.insert(datasets).values(dataset);
      return dataset;
    },
    { durable: false },
  );

  const writes = importWrites(prepared.parsed, {
    workspaceId,
    studyId,
    datasetId: claimed.id,
    bytes: upload.bytes,
    rowCount,
    rowsPerChunk: ROWS_PER_CHUNK,
  });
  try {
    await writes.source();
    await writes.rows((rowsWritten) => prepared.progress.saving(rowsWritten));

    return await writeTransaction(async ({ tx, record }) => {
      await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
      await loadStudy(tx, workspaceId, studyId);
      const previous = (
        await tx
          .select({ version: max(datasets.version) })
          .from(datasets)
          .where(and(eq(datasets.studyId, studyId), eq(datasets.name, prepared.name), eq(datasets.status, "ready")))
      )[0];
      const dataset: Dataset = { ...claimed, status: "ready", version: Math.max(0, previous?.version ?? 0) + 1, leaseExpiresAt: null };
      const flipped = await tx
        .update(datasets)
        .set({ status: "ready", version: dataset.version, leaseExpiresAt: null })
        .where(and(eq(datasets.id, claimed.id), eq(datasets.status, "importing")))
        .returning({ id: datasets.id });
      if (flipped.length !== 1) throw notFound("The dataset was removed while it was being imported.");
      await record({
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
  } catch (error) {
    await discardImport(claimed.id);
    throw error;
  }
}

/** Removes an unfinished import: its rows a chunk at a time (yielding, like the insert), then the dataset row. */
async function discardImport(datasetId: string): Promise<void> {
  const [last] = await getDb()
    .select({ index: max(datasetRows.rowIndex) })
    .from(datasetRows)
    .where(eq(datasetRows.datasetId, datasetId));
  for (let start = 0; start <= (last?.index ?? -1); start += ROWS_PER_CHUNK) {
    await transaction((tx) =>
      tx
        .delete(datasetRows)
        .where(
          and(eq(datasetRows.datasetId, datasetId), gte(datasetRows.rowIndex, start), lt(datasetRows.rowIndex, start + ROWS_PER_CHUNK)),
        ),
    );
    await nextTurn();
  }
  // Its source file goes with it (ON DELETE CASCADE). Only ever an unfinished one: a ready dataset stays.
  await transaction((tx) => tx.delete(datasets).where(and(eq(datasets.id, datasetId), eq(datasets.status, "importing"))));
}

/**
 * Removes imports that were cut off: still "importing" (nobody ever saw them)
 * with a lease that lapsed, because the process writing them stopped. A live
 * import renews its lease with every chunk, so this never takes an import that
 * another process is still writing. Run at start-up and every lease period.
 */
export async function discardInterruptedImports(now = new Date()): Promise<number> {
  // Rows and sources go with their dataset (foreign keys cascade).
  const removed = await transaction((tx) =>
    tx
      .delete(datasets)
      .where(and(eq(datasets.status, "importing"), or(isNull(datasets.leaseExpiresAt), lt(datasets.leaseExpiresAt, now))))
      .returning({ id: datasets.id }),
  );
  return removed.length;
}
