/**
 * An import worker thread: reads, matches and checks uploaded files
 * (parseDatasetFile), one at a time, reporting progress, then writes the
 * checked rows or hands them to the main thread a chunk at a time. The table
 * stays here, held by column (HarmonisedColumns), and each row's values leave
 * only as the JSON text stored, made from the columns as the row is written:
 * the main thread never holds, copies or serialises the rows. On SQLite the
 * worker writes the file and the rows itself, on a connection of its own, in
 * one stretch of transactions that ends early when another writer of the
 * process waits (dataset-import-writes.server.ts); on PostgreSQL the main
 * thread asks for the rows a chunk at a time. The thread stays for the next
 * upload: starting one (tsx, csv-parse, exceljs) costs far more than a small file.
 */
import os from "node:os";
import { parentPort } from "node:worker_threads";
import type { HarmonisedColumns } from "#app/domain/dataset-table.ts";
import { env } from "#app/env.server.ts";
import { parseDatasetFile } from "./dataset-parsing.server.ts";
import { SqliteImportWriter } from "#db/engines/sqlite-import-writer.ts";
import {
  type FromParseWorker,
  type ImportWriteResult,
  type RowToWrite,
  SOURCE_FILE,
  type ToParseWorker,
} from "./dataset-parse-pool.server.ts";

/** Progress goes out at most this often: the main thread relays it, throttled again, to the uploader. */
const PROGRESS_EVERY_MS = 100;

const port = parentPort;
if (!port) throw new Error("dataset-parse-worker runs as a worker thread");

/**
 * The import thread yields the CPU to the request thread whenever both want it: on Linux a nice value
 * belongs to a thread (setpriority with 0 names the calling thread), so only this thread is lowered.
 * Without it, on a machine with as many busy threads as cores, the scheduler shares time evenly and a
 * page or /healthz waits a whole time slice behind the import. Where the system refuses, imports run
 * at the process's own priority.
 */
try {
  os.setPriority(0, Math.max(os.getPriority(0), env().IMPORT_THREAD_NICE));
} catch {
  // Not permitted here (some containers): the import still works, only without the yielding.
}
const send = (message: FromParseWorker) => port.postMessage(message);

/** The table and file of the job being written, and its connection while it writes on SQLite. */
let held: { job: number; table: HarmonisedColumns; bytes: Uint8Array; writer: SqliteImportWriter | null } | null = null;

function drop() {
  held?.writer?.close();
  held = null;
}

port.on("message", (message: ToParseWorker) => {
  if (message.type === "parse") void parse(message.job, message.request);
  else if (message.type === "rows") {
    send({ type: "rows", job: message.job, from: message.from, rows: held?.job === message.job ? rowsToWrite(held.table, message) : [] });
  } else if (message.type === "write") {
    send({ type: "written", job: message.job, from: message.from, outcome: write(message) });
  } else if (message.type === "drop" && held?.job === message.job) drop();
});

/** Rows [from, to) for the main thread to write (PostgreSQL), their values already as the JSON text stored. */
function rowsToWrite(table: HarmonisedColumns, range: { from: number; to: number }): RowToWrite[] {
  const rows: RowToWrite[] = [];
  for (let i = range.from; i < Math.min(range.to, table.rowCount); i++)
    rows.push({ participantId: table.participantId(i), arm: table.arm(i), valuesJson: table.valuesJson(i) });
  return rows;
}

/** Writes the job's source file or rows itself (SQLite; the main thread holds its own writes meanwhile). */
function write(message: Extract<ToParseWorker, { type: "write" }>): ImportWriteResult | { failed: string } {
  if (held?.job !== message.job) return { failed: "the import's rows are no longer held" };
  try {
    held.writer ??= new SqliteImportWriter(message.file);
    const lease = () => Date.now() + message.leaseMs;
    if (message.from === SOURCE_FILE)
      return { outcome: held.writer.writeSource(message.datasetId, held.bytes, lease()), next: SOURCE_FILE };
    let last = performance.now();
    return held.writer.writeRows(
      message.datasetId,
      held.table,
      message,
      lease,
      () => Atomics.load(message.writersWaiting, 0) > 0,
      (next) => {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        send({ type: "saving", job: message.job, rowsWritten: next });
      },
    );
  } catch (error) {
    return { failed: (error as Error)?.message ?? String(error) };
  }
}

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
      held = { job, table: rows, bytes: request.bytes, writer: null };
      send({ type: "parsed", job, outcome: { ...parsed, rowCount: rows.rowCount } });
    } else {
      send({ type: "parsed", job, outcome });
    }
  } catch (error) {
    send({ type: "failed", job, message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
  }
}
