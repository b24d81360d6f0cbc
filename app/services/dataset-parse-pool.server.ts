/**
 * Parsing an upload off the main event loop: a file is read and checked in a
 * worker thread (dataset-parse-worker.server.ts), so the main thread keeps
 * answering other users while a 100,000-row file is parsed. At most
 * PARSE_WORKERS threads exist, each working on one upload at a time; later
 * uploads wait their turn, so a burst of uploads cannot start more threads
 * (and heaps) than the machine has cores. Idle threads stay for the next
 * upload but never keep the process alive.
 * See docs/decisions/021-imports-off-the-event-loop.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ImportWriteOutcome } from "#db/engines/sqlite-import-writer.ts";
import type { ParseOutcome, ParseProgress, ParseRequest } from "./dataset-parsing.server.ts";

/** Parsing is CPU work: more threads than cores only slow every import down (and the main thread with them). */
export const PARSE_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

/** A checked row as the worker hands it over for writing: its values already as the JSON text stored. */
export interface RowToWrite {
  participantId: string | null;
  arm: string | null;
  valuesJson: string;
}

/**
 * A write the worker makes itself, on SQLite: the source file (`from` = SOURCE_FILE) or the rows
 * [from, to), in as many transactions as it takes, until another writer of this process waits.
 */
export interface ImportWrite {
  file: string;
  datasetId: string;
  from: number;
  to: number;
  /** How long each transaction renews the import's lease for (ms). */
  leaseMs: number;
  /** This process's writers waiting for their turn (shared memory): rows stop being written once it is not 0. */
  writersWaiting: Int32Array;
}

/** How a worker's write ended: the rows before `next` are written (all of [from, to), unless it made way for another writer). */
export type ImportWriteResult = { outcome: ImportWriteOutcome; next: number };
/** The `from` of an ImportWrite of the uploaded file itself. */
export const SOURCE_FILE = -1;

export type ParsedOutcome =
  | (Omit<Extract<ParseOutcome, { ok: true }>, "rows"> & { rowCount: number })
  | Extract<ParseOutcome, { ok: false }>;

export type ToParseWorker =
  | { type: "parse"; job: number; request: ParseRequest }
  | { type: "rows"; job: number; from: number; to: number }
  /** SQLite: write the job's source file (`from` -1) or rows [from, to) of `datasetId` to `file` from the worker (ImportWrite). */
  | ({ type: "write"; job: number } & ImportWrite)
  /** The job's rows are written (or abandoned): the worker lets go of them. */
  | { type: "drop"; job: number };
export type FromParseWorker =
  | ({ type: "progress"; job: number } & ParseProgress)
  | { type: "parsed"; job: number; outcome: ParsedOutcome }
  | { type: "rows"; job: number; from: number; rows: RowToWrite[] }
  | { type: "written"; job: number; from: number; outcome: ImportWriteResult | { failed: string } }
  /** Rows written so far by a write under way (at most every PROGRESS_EVERY_MS). */
  | { type: "saving"; job: number; rowsWritten: number }
  | { type: "failed"; job: number; message: string; stack?: string };

export interface ParsedUpload {
  outcome: ParsedOutcome;
  /** The checked rows [from, to), serialised for writing by the worker. */
  rows(from: number, to: number): Promise<RowToWrite[]>;
  /** Has the worker write the source file or rows itself, on a SQLite connection of its own; `onSaving` hears how far it got. */
  write(write: ImportWrite, onSaving?: (rowsWritten: number) => void): Promise<ImportWriteResult>;
  /** Frees the worker for the next upload; call once the rows are written (or the import gave up). */
  release(): void;
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

interface PooledWorker {
  worker: Worker;
  /** What the current job listens to; null while idle. */
  listener: ((message: FromParseWorker) => void) | null;
  fail: ((error: Error) => void) | null;
}

const idle: PooledWorker[] = [];
let started = 0;
const waiting: ((pooled: PooledWorker) => void)[] = [];
let nextJob = 1;

function startWorker(): PooledWorker {
  // execArgv: [] so the worker does not inherit the parent's flags (a test runner's, or `--import tsx`
  // a second time): its entry registers tsx itself.
  const worker = new Worker(workerEntry(), { execArgv: [] });
  const pooled: PooledWorker = { worker, listener: null, fail: null };
  started++;
  worker.unref();
  worker.on("message", (message: FromParseWorker) => pooled.listener?.(message));
  const lost = (error: Error) => {
    const index = idle.indexOf(pooled);
    if (index !== -1) idle.splice(index, 1);
    pooled.fail?.(error);
  };
  worker.on("error", (error) => lost(error));
  worker.on("exit", (code) => {
    started--;
    lost(new Error(`The dataset import worker stopped (exit code ${code})`));
    // A thread that died frees its place: someone waiting gets a new one.
    const next = waiting.shift();
    if (next) next(startWorker());
  });
  return pooled;
}

async function takeWorker(): Promise<PooledWorker> {
  const pooled =
    idle.pop() ?? (started < PARSE_WORKERS ? startWorker() : await new Promise<PooledWorker>((resolve) => waiting.push(resolve)));
  // While it works for someone, the thread keeps the process alive (a script awaiting its import).
  pooled.worker.ref();
  return pooled;
}

function giveBack(pooled: PooledWorker): void {
  pooled.listener = null;
  pooled.fail = null;
  pooled.worker.unref();
  const next = waiting.shift();
  if (next) next(pooled);
  else idle.push(pooled);
}

/** Parses a file in a worker; resolves once every row is checked (or the file is refused). */
export async function parseInWorker(request: ParseRequest, onProgress: (progress: ParseProgress) => void): Promise<ParsedUpload> {
  const pooled = await takeWorker();
  const job = nextJob++;
  const pending = new Map<number, (rows: RowToWrite[]) => void>();
  const writing = new Map<number, (outcome: Extract<FromParseWorker, { type: "written" }>["outcome"]) => void>();
  let onSaving: ((rowsWritten: number) => void) | null = null;
  let released = false;
  let broken = false;
  const release = () => {
    if (released) return;
    released = true;
    if (broken) return;
    pooled.worker.postMessage({ type: "drop", job } satisfies ToParseWorker);
    giveBack(pooled);
  };

  try {
    const outcome = await new Promise<ParsedOutcome>((resolve, reject) => {
      pooled.fail = (error) => {
        broken = true;
        reject(error);
      };
      pooled.listener = (message) => {
        if (message.job !== job) return;
        if (message.type === "progress")
          onProgress({ rowsRead: message.rowsRead, rowsChecked: message.rowsChecked, fileShare: message.fileShare });
        else if (message.type === "parsed") resolve(message.outcome);
        else if (message.type === "rows") pending.get(message.from)?.(message.rows);
        else if (message.type === "written") writing.get(message.from)?.(message.outcome);
        else if (message.type === "saving") onSaving?.(message.rowsWritten);
        else reject(Object.assign(new Error(`Reading the upload failed: ${message.message}`), { stack: message.stack }));
      };
      pooled.worker.postMessage({ type: "parse", job, request } satisfies ToParseWorker);
    });
    return {
      outcome,
      release,
      rows(from, to) {
        return new Promise((resolve, reject) => {
          pooled.fail = (error) => {
            broken = true;
            reject(error);
          };
          pending.set(from, (rows) => {
            pending.delete(from);
            resolve(rows);
          });
          pooled.worker.postMessage({ type: "rows", job, from, to } satisfies ToParseWorker);
        });
      },
      write(write, saving) {
        return new Promise((resolve, reject) => {
          pooled.fail = (error) => {
            broken = true;
            reject(error);
          };
          onSaving = saving ?? null;
          writing.set(write.from, (outcome) => {
            writing.delete(write.from);
            onSaving = null;
            if ("outcome" in outcome) resolve(outcome);
            else reject(new Error(`Writing the import failed: ${outcome.failed}`));
          });
          pooled.worker.postMessage({ type: "write", job, ...write } satisfies ToParseWorker);
        });
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
