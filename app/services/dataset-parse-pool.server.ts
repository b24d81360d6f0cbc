/**
 * Parsing an upload off the main event loop: each import reads and checks its
 * file in a worker thread of its own (dataset-parse-worker.server.ts), so the
 * main thread keeps answering other users while a 100,000-row file is parsed.
 * At most PARSE_WORKERS run at once; later imports wait their turn, so a burst
 * of uploads cannot start more threads (and heaps) than the machine has cores.
 * See docs/decisions/021-imports-off-the-event-loop.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { HarmonisedRow } from "#app/domain/dataset-table.ts";
import type { ParseOutcome, ParseProgress, ParseRequest } from "./dataset-parsing.server.ts";

/** Parsing is CPU work: more threads than cores only slow every import down (and the main thread with them). */
export const PARSE_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

export type ParsedOutcome = (Omit<Extract<ParseOutcome, { ok: true }>, "rows"> & { rowCount: number }) | Extract<ParseOutcome, { ok: false }>;

export type ToParseWorker = { type: "rows"; from: number; to: number };
export type FromParseWorker =
  | ({ type: "progress" } & ParseProgress)
  | { type: "parsed"; outcome: ParsedOutcome }
  | { type: "rows"; from: number; rows: HarmonisedRow[] }
  | { type: "failed"; message: string; stack?: string };

export interface ParsedUpload {
  outcome: ParsedOutcome;
  /** The checked rows [from, to) as the worker holds them. */
  rows(from: number, to: number): Promise<HarmonisedRow[]>;
  /** Ends the worker and frees its turn; call once the rows are written (or the import gave up). */
  release(): Promise<void>;
}

/**
 * The worker's entry, found from this module's own place: in development it is
 * app/services, in the built app it is the bundle in build/, so the project
 * root is looked for upwards rather than assumed.
 */
function workerEntry(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "app", "services", "dataset-parse-worker.mjs");
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("The dataset import worker (app/services/dataset-parse-worker.mjs) was not found");
    dir = parent;
  }
}

let running = 0;
const waiting: (() => void)[] = [];

async function takeTurn(): Promise<void> {
  if (running < PARSE_WORKERS) {
    running++;
    return;
  }
  // The releasing import hands its turn on without lowering the count.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function giveTurnBack(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Parses a file in a worker; resolves once every row is checked (or the file is refused). */
export async function parseInWorker(request: ParseRequest, onProgress: (progress: ParseProgress) => void): Promise<ParsedUpload> {
  await takeTurn();
  let worker: Worker;
  try {
    // execArgv: [] so the worker does not inherit the parent's flags (a test runner's, or `--import tsx`
    // a second time): its entry registers tsx itself.
    worker = new Worker(workerEntry(), { workerData: request, execArgv: [] });
  } catch (error) {
    giveTurnBack();
    throw error;
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    giveTurnBack();
    await worker.terminate();
  };
  const pending = new Map<number, (rows: HarmonisedRow[]) => void>();
  let failure: ((error: Error) => void) | null = null;

  try {
    const outcome = await new Promise<ParsedOutcome>((resolve, reject) => {
      failure = reject;
      worker.on("message", (message: FromParseWorker) => {
        if (message.type === "progress") onProgress({ rowsRead: message.rowsRead, rowsChecked: message.rowsChecked, fileShare: message.fileShare });
        else if (message.type === "parsed") resolve(message.outcome);
        else if (message.type === "rows") pending.get(message.from)?.(message.rows);
        else reject(Object.assign(new Error(`Reading the upload failed: ${message.message}`), { stack: message.stack }));
      });
      worker.on("error", (error) => failure?.(error));
      worker.on("exit", (code) => {
        if (!released) failure?.(new Error(`The dataset import worker stopped (exit code ${code})`));
      });
    });
    return {
      outcome,
      release,
      rows(from, to) {
        return new Promise((resolve, reject) => {
          failure = reject;
          pending.set(from, (rows) => {
            pending.delete(from);
            resolve(rows);
          });
          worker.postMessage({ type: "rows", from, to } satisfies ToParseWorker);
        });
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}
