/**
 * An import worker thread: reads, matches and checks one uploaded file
 * (parseDatasetFile), reports its progress, then hands the checked rows to
 * the main thread a chunk at a time, as the main thread writes them. Holding
 * the rows here keeps a 100,000-row table out of the main thread's heap, and
 * asking for them in chunks means the main thread never deserialises more
 * than one chunk in one go.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { HarmonisedRow } from "#app/domain/dataset-table.ts";
import { parseDatasetFile, type ParseRequest } from "./dataset-parsing.server.ts";
import type { FromParseWorker, ToParseWorker } from "./dataset-parse-pool.server.ts";

/** Progress goes out at most this often: the main thread relays it, throttled again, to the uploader. */
const PROGRESS_EVERY_MS = 100;

const port = parentPort;
if (!port) throw new Error("dataset-parse-worker runs as a worker thread");
const send = (message: FromParseWorker) => port.postMessage(message);

let rows: HarmonisedRow[] = [];
port.on("message", (message: ToParseWorker) => {
  if (message.type === "rows") send({ type: "rows", from: message.from, rows: rows.slice(message.from, message.to) });
});

try {
  let last = 0;
  const outcome = await parseDatasetFile(workerData as ParseRequest, (progress) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    send({ type: "progress", ...progress });
  });
  if (outcome.ok) {
    rows = outcome.rows;
    const { rows: _kept, ...parsed } = outcome;
    send({ type: "parsed", outcome: { ...parsed, rowCount: rows.length } });
  } else {
    send({ type: "parsed", outcome });
  }
} catch (error) {
  send({ type: "failed", message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
}
