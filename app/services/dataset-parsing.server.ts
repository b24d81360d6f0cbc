/**
 * Reading, matching and checking an uploaded dataset file, without touching
 * the database: the work that runs in an import worker thread
 * (dataset-parse-worker.server.ts). Everything the import decides about the
 * file is decided here, so the main thread only writes what comes back.
 *
 * The outcome crosses a thread boundary, so a refusal travels as plain data
 * (message, place, status) and is turned back into a DatasetFileError by
 * the receiving side.
 */
import { createHash } from "node:crypto";
import { firstProblem, planColumns, type BiomarkerRef, type ColumnMapping, type ColumnPlan } from "#app/domain/dataset-columns.ts";
import type { DatasetKind } from "#app/domain/datasets.ts";
import { DatasetFileError, type FileFormat } from "#app/domain/dataset-files.ts";
import { DatasetTableBuilder, type HarmonisedColumns, type HarmonisedTable, type SourceRecord } from "#app/domain/dataset-table.ts";
import { readRecords } from "./dataset-readers.server.ts";
import { type ClinicalRecordsRequest, type RecordsInfo, readClinicalRecords } from "./dataset-records.server.ts";

export interface ParseRequest {
  bytes: Uint8Array;
  format: FileFormat;
  kind: DatasetKind;
  mapping: ColumnMapping;
  biomarkers: BiomarkerRef[];
  /** A REDCap records export or ODM ClinicalData: turned into a table before it is read like any other. */
  records?: ClinicalRecordsRequest;
}

/** How far the reading has come: records taken from the file, and rows that passed every check. */
export interface ParseProgress {
  rowsRead: number;
  rowsChecked: number;
  /** How much of the file the parser has been given (0–1); null for a workbook, whose reader cannot say. */
  fileShare: number | null;
}

export interface FileProblem {
  message: string;
  where: DatasetFileError["where"];
  status: DatasetFileError["status"];
}

export type ParseOutcome =
  | {
      ok: true;
      plans: ColumnPlan[];
      table: Omit<HarmonisedTable, "rows">;
      /** The rows, held by column in the worker (never sent to the main thread as they are). */
      rows: HarmonisedColumns;
      sha256: string;
      records: RecordsInfo | null;
    }
  /**
   * `plans` is set when the columns were planned and the problem is in the plan or the rows (a dry
   * run shows it beside the plan); null when the file failed before (encoding, header, no id column).
   */
  | { ok: false; plans: ColumnPlan[] | null; rowsChecked: number; problem: FileProblem; records: RecordsInfo | null };

export const toFileProblem = (error: DatasetFileError): FileProblem => ({
  message: error.message,
  where: error.where,
  status: error.status,
});
export const fromFileProblem = (problem: FileProblem) => new DatasetFileError(problem.message, problem.where, problem.status);

/** Line breaks in a CSV file: about its row count (quoted line breaks make it an overestimate, which is harmless). */
function lineCount(bytes: Buffer): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  return lines + 1;
}

export async function parseDatasetFile(request: ParseRequest, onProgress: (progress: ParseProgress) => void): Promise<ParseOutcome> {
  let plans: ColumnPlan[] | null = null;
  let planFailed = false;
  let builder: DatasetTableBuilder | null = null;
  let rowsRead = 0;
  let fileShare: number | null = null;
  let info: RecordsInfo | null = null;
  try {
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    let records: AsyncGenerator<SourceRecord>;
    let mapping = request.mapping;
    if (request.records) {
      const clinical = readClinicalRecords(bytes, request.records, request.mapping);
      info = clinical.info;
      mapping = clinical.mapping;
      records = clinical.records;
    } else {
      records = readRecords(bytes, request.format, (share) => {
        fileShare = share;
      });
    }
    const first = await records.next();
    if (first.done) throw new DatasetFileError("The file is empty.");
    const header = first.value.cells;
    plans = planColumns(header, request.biomarkers, mapping, request.kind);
    const planProblem = firstProblem(plans);
    if (planProblem) {
      planFailed = true;
      throw planProblem;
    }

    // A kept row has a byte per cell at least (its comma or line break), which bounds the estimate
    // (and the columns' memory) whatever the file's blank lines.
    const expectedRows = request.format === "csv" ? Math.min(lineCount(bytes), Math.ceil(bytes.length / header.length)) : 0;
    const table = new DatasetTableBuilder(plans, request.kind, header.length, expectedRows);
    builder = table;
    for await (const record of records) {
      rowsRead++;
      table.add(record);
      onProgress({ rowsRead, rowsChecked: table.rowCount, fileShare });
    }
    const rows = table.finishColumns();
    // What turning the records into a table noted comes before what the table's own checks found.
    if (info) rows.warnings.unshift(...info.notes.map((message) => ({ message })));
    onProgress({ rowsRead, rowsChecked: rows.rowCount, fileShare: 1 });
    const finished = { columns: rows.columns, warnings: rows.warnings, summary: rows.summary };
    return { ok: true, plans, table: finished, rows, sha256: createHash("sha256").update(request.bytes).digest("hex"), records: info };
  } catch (error) {
    if (!(error instanceof DatasetFileError)) throw error;
    return {
      ok: false,
      plans: builder || planFailed ? plans : null,
      rowsChecked: builder?.rowCount ?? 0,
      problem: toFileProblem(error),
      records: info,
    };
  }
}
