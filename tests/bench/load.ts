/**
 * A bounded load loop: a warm-up, then a fixed number of operations at a fixed
 * concurrency, each timed on its own. A time budget caps every run: when it is
 * spent, the run stops early and says so (the row then shows the smaller n).
 */
import { performance } from "node:perf_hooks";

export interface LoadOptions {
  /** Operations run and thrown away before measuring. */
  warmup: number;
  /** Operations measured. */
  count: number;
  concurrency: number;
  /** Wall-clock cap for the measured part, in ms. */
  budgetMs: number;
}

export interface LoadResult {
  samples: number[];
  wallMs: number;
  /** True when the budget ran out before `count` operations finished. */
  truncated: boolean;
}

/** One operation: resolves when it has completed (and throws if it went wrong). */
export type Operation = () => Promise<void>;

async function pool(total: number, concurrency: number, deadline: number, op: Operation, samples?: number[]) {
  let started = 0;
  let stoppedEarly = false;
  const worker = async () => {
    while (started < total) {
      if (performance.now() > deadline) {
        stoppedEarly = true;
        return;
      }
      started++;
      const t0 = performance.now();
      await op();
      samples?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  return stoppedEarly;
}

export async function runLoad(op: Operation, options: LoadOptions): Promise<LoadResult> {
  if (options.warmup > 0) {
    await pool(options.warmup, options.concurrency, performance.now() + options.budgetMs, op);
  }
  const samples: number[] = [];
  const t0 = performance.now();
  const truncated = await pool(options.count, options.concurrency, t0 + options.budgetMs, op, samples);
  return { samples, wallMs: performance.now() - t0, truncated };
}

/**
 * Runs several loads in alternating rounds (A, B, A, B, …) so that drift in
 * the machine (other processes, disk cache, thermal state) falls on all of
 * them alike. Answers one merged result per load, in the order given.
 */
export async function runInterleaved(ops: Operation[], options: LoadOptions & { rounds: number }): Promise<LoadResult[]> {
  for (const op of ops) {
    if (options.warmup > 0) await pool(options.warmup, options.concurrency, performance.now() + options.budgetMs, op);
  }
  const results: LoadResult[] = ops.map(() => ({ samples: [], wallMs: 0, truncated: false }));
  const perRound = Math.ceil(options.count / options.rounds);
  const roundBudget = options.budgetMs / options.rounds;
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, op] of ops.entries()) {
      const remaining = options.count - results[i].samples.length;
      if (remaining <= 0) continue;
      const t0 = performance.now();
      const truncated = await pool(Math.min(perRound, remaining), options.concurrency, t0 + roundBudget, op, results[i].samples);
      results[i].wallMs += performance.now() - t0;
      results[i].truncated ||= truncated;
    }
  }
  return results;
}

/** Times one async step on its own (for set-up figures printed alongside the tables). */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t0 };
}
