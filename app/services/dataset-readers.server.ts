/**
 * Reading an uploaded file into records, incrementally: csv-parse for CSV,
 * the exceljs streaming reader for XLSX (after yauzl has checked that the
 * workbook is a real zip whose unzipped size is bounded). Both hand back
 * records a chunk at a time and yield to the event loop between chunks, so
 * a large import does not stall other users' requests.
 */
import { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { parse, type CsvError } from "csv-parse";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { checkDelimiter, DATASET_LIMITS, DatasetFileError, decodeCsvText, type FileFormat } from "#app/domain/dataset-files.ts";
import type { SourceRecord } from "#app/domain/dataset-table.ts";

const CHUNK_CHARS = 64 * 1024;
const ROWS_PER_TURN = 2000;

/** Tells how much of the file has been handed to the parser (0–1); a workbook cannot say. */
export type ReadShare = (fraction: number) => void;

/** The records of the file, the header first (row 1). */
export function readRecords(bytes: Buffer, format: FileFormat, onShare: ReadShare = () => {}): AsyncGenerator<SourceRecord> {
  if (format === "xml") throw new DatasetFileError("An XML file is read as CDISC ODM clinical data, not as a table.", {}, 415);
  return format === "csv" ? csvRecords(bytes, onShare) : xlsxRecords(bytes);
}

async function* textChunks(text: string, onShare: ReadShare) {
  for (let start = 0; start < text.length; start += CHUNK_CHARS) {
    yield text.slice(start, start + CHUNK_CHARS);
    onShare(Math.min(1, (start + CHUNK_CHARS) / text.length));
    await nextTurn();
  }
}

async function* csvRecords(bytes: Buffer, onShare: ReadShare): AsyncGenerator<SourceRecord> {
  const text = decodeCsvText(bytes);
  checkDelimiter(text);
  const parser = Readable.from(textChunks(text, onShare)).pipe(
    parse({ relax_column_count: true, max_record_size: DATASET_LIMITS.maxRecordChars, skip_empty_lines: false }),
  );
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells };
    }
  } catch (error) {
    throw csvProblem(error as CsvError, row + 1);
  }
}

function csvProblem(error: CsvError, fallbackRow: number): Error {
  if (!error || typeof error.code !== "string") return error;
  // The parser runs ahead of the records we have taken, so its own count says where it stopped.
  const row = typeof error.records === "number" ? error.records + 1 : fallbackRow;
  const line = typeof error.lines === "number" ? error.lines : undefined;
  const where = `Row ${row}${line !== undefined && line !== row ? ` (line ${line} of the file)` : ""}`;
  const reasons: Partial<Record<string, string>> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed (a " without its closing ")',
    CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted value is not doubled (write "" for a quote inside quotes)',
    INVALID_OPENING_QUOTE: "a quote appears inside an unquoted value (quote the whole value, and double the quote)",
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "text follows a closing quote before the next comma",
    CSV_MAX_RECORD_SIZE: `the row is longer than ${DATASET_LIMITS.maxRecordChars.toLocaleString("en")} characters`,
  };
  const reason = reasons[error.code];
  if (!reason) return new DatasetFileError(`${where}: the CSV cannot be read (${error.message}).`, { row });
  return new DatasetFileError(`${where}: ${reason}.`, { row });
}

/** Opens the zip and inflates every part once, counting, so a zip bomb stops at the limit. */
async function checkWorkbookZip(bytes: Buffer): Promise<void> {
  const notXlsx = (why: string) => new DatasetFileError(`The file is not an XLSX workbook: ${why}.`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, file) =>
      error ? reject(notXlsx(`it is not a readable zip archive (${error.message})`)) : resolve(file!),
    ),
  );
  const names = new Set<string>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", (error: Error) =>
        reject(error instanceof DatasetFileError ? error : notXlsx(`the zip archive is damaged (${error.message})`)),
      );
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        names.add(entry.fileName);
        if (names.size > DATASET_LIMITS.maxZipEntries) return reject(notXlsx(`it holds more than ${DATASET_LIMITS.maxZipEntries} parts`));
        if (total + entry.uncompressedSize > DATASET_LIMITS.maxUnzippedBytes) return reject(tooLargeUnzipped());
        if (/\/$/.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(notXlsx(`a part cannot be read (${error?.message})`));
          stream.on("data", (chunk: Buffer) => {
            total += chunk.length;
            if (total > DATASET_LIMITS.maxUnzippedBytes) {
              stream.destroy();
              reject(tooLargeUnzipped());
            }
          });
          stream.on("error", (e) => reject(notXlsx(`a part is damaged (${e.message})`)));
          stream.on("end", () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  if (!names.has("[Content_Types].xml") || !names.has("xl/workbook.xml")) {
    throw notXlsx("it is a zip archive, but holds no Excel workbook (xl/workbook.xml)");
  }
}

const tooLargeUnzipped = () =>
  new DatasetFileError(
    `The workbook unpacks to more than ${DATASET_LIMITS.maxUnzippedBytes / 1024 / 1024} MB; it cannot be imported (save it as CSV, or split it).`,
    {},
    413,
  );

async function* xlsxRecords(bytes: Buffer): AsyncGenerator<SourceRecord> {
  await checkWorkbookZip(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      if (sheets > 1) break; // only the first worksheet is the dataset
      let width = 0;
      let sinceTurn = 0;
      for await (const row of sheet) {
        const values = (row.values as unknown[]) ?? [];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        if (width === 0) width = cells.length;
        // A sheet has no ragged rows: a short row ends in empty cells.
        while (cells.length < width) cells.push("");
        yield { row: row.number, cells };
        if (++sinceTurn >= ROWS_PER_TURN) {
          sinceTurn = 0;
          await nextTurn();
        }
      }
    }
  } catch (error) {
    if (error instanceof DatasetFileError) throw error;
    throw new DatasetFileError(`The XLSX workbook cannot be read: ${(error as Error).message}.`);
  }
  if (sheets === 0) throw new DatasetFileError("The XLSX workbook has no worksheet.");
}

/** A cell as text, the way the spreadsheet shows its value (the result, for a formula). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return v.richText.map((part: { text?: string }) => part.text ?? "").join("");
    if ("result" in v) return cellText(v.result);
    if ("formula" in v || "sharedFormula" in v) return "";
    if (typeof v.text === "string") return v.text;
    if (typeof v.error === "string") return v.error;
  }
  return String(value);
}
