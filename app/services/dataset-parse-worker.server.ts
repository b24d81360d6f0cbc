/**
 * An import worker thread: reads, matches and checks uploaded files
 * (parseDatasetFile), one at a time, reporting progress, then hands the checked
 * rows to the main thread a chunk at a time, as the main thread writes them.
 * Holding the rows here keeps a 100,000-row table out of the main thread's
 * heap, and asking for them in chunks means the main thread never
 * deserialises more than one chunk in one go; each chunk's values leave as
 * JSON text, ready to store. On SQLite the worker writes the file and the rows
 * itself, on a connection of its own (dataset-import-writes.server.ts). The thread stays for the next
 * upload: starting one (tsx, csv-parse, exceljs) costs far more than a small file.
 */
import { parentPort } from "node:worker_threads";
import type { HarmonisedRow } from "#app/domain/dataset-table.ts";
import { parseDatasetFile } from "./dataset-parsing.server.ts";
import { type ImportWriteOutcome, SqliteImportWriter } from "#db/engines/sqlite-import-writer.ts";
import { type FromParseWorker, type RowToWrite, SOURCE_FILE, type ToParseWorker } from "./dataset-parse-pool.server.ts";

/** Progress goes out at most this often: the main thread relays it, throttled again, to the uploader. */
const PROGRESS_EVERY_MS = 100;

const port = parentPort;
if (!port) throw new Error("dataset-parse-worker runs as a worker thread");
const send = (message: FromParseWorker) => port.postMessage(message);

/** The rows and file of the job whose table is being written, and its connection while it writes on SQLite. */
let held: { job: number; rows: HarmonisedRow[]; bytes: Uint8Array; writer: SqliteImportWriter | null } | null = null;

function drop() {
  held?.writer?.close();
  held = null;
}

port.on("message", (message: ToParseWorker) => {
  if (message.type === "parse") void parse(message.job, message.request);
  else if (message.type === "rows") {
    const rows = held?.job === message.job ? held.rows.slice(message.from, message.to).map(toWrite) : [];
    send({ type: "rows", job: message.job, from: message.from, rows });
  } else if (message.type === "write") {
    send({ type: "written", job: message.job, from: message.from, outcome: write(message) });
  } else if (message.type === "drop" && held?.job === message.job) drop();
});

/** Writes the job's source file or rows itself (SQLite; the main thread holds its own writes meanwhile). */
function write(message: Extract<ToParseWorker, { type: "write" }>): ImportWriteOutcome | { failed: string } {
  if (held?.job !== message.job) return { failed: "the import's rows are no longer held" };
  try {
    held.writer ??= new SqliteImportWriter(message.file);
    if (message.from === SOURCE_FILE) return held.writer.writeSource(message.datasetId, held.bytes, message.leaseUntil);
    const rows = held.rows.slice(message.from, message.to).map((row, i) => ({
      datasetId: message.datasetId,
      rowIndex: message.from + i,
      ...toWrite(row),
    }));
    return held.writer.writeRows(rows, message.leaseUntil);
  } catch (error) {
    return { failed: (error as Error)?.message ?? String(error) };
  }
}

/**
 * The values' JSON is made here, not on the main thread: for 100,000 rows of decimals it is one of
 * the larger costs of writing, and strings cross to the main thread far more cheaply than arrays.
 */
const toWrite = (row: HarmonisedRow): RowToWrite => ({
  participantId: row.participantId,
  arm: row.arm,
  valuesJson: JSON.stringify(row.values),
});

async function parse(job: number, request: Extract<ToParseWorker, { type: "parse" }>["request"]) {
  drop();
  try {
    let last = 0;
    const outcome = await parseDatasetFile(request, (progress) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      send({ type: "progress", job, ...progress });
    });
    if (outcome.ok) {
      const { rows, ...parsed } = outcome;
      held = { job, rows, bytes: request.bytes, writer: null };
      send({ type: "parsed", job, outcome: { ...parsed, rowCount: rows.length } });
    } else {
      send({ type: "parsed", job, outcome });
    }
  } catch (error) {
    send({ type: "failed", job, message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
  }
}
