/**
 * Where the CPU went while a load ran: the CPU time of chosen processes (app
 * servers, PostgreSQL backends), of the bench itself and of the whole machine,
 * read from /proc (Linux) before, during and after the load. Processes are
 * polled while the load runs because a PostgreSQL backend that closes mid-way
 * takes its counters with it; one that appears mid-way counts from zero.
 * Nothing here judges a figure as good or bad; `cpuLimitLine` only says which
 * side is nearest its ceiling.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";

const POLL_MS = 200;

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds of a process (all its threads), or undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 (utime) and 15 (stime) of proc(5); `fields` starts at field 3.
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** Busy and iowait seconds of all cores together since boot (/proc/stat). */
function machineSeconds(): { busy: number; iowait: number } {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
  const [user, nice, system, , iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq + (steal ?? 0)) / clockTicksPerSecond, iowait: iowait / clockTicksPerSecond };
}

export interface CpuSource {
  name: string;
  /** The processes to count now (asked at every poll: PostgreSQL backends come and go). */
  pids(): number[] | Promise<number[]>;
}

export interface CpuReading {
  wallSeconds: number;
  /** CPU seconds per source, and per process of the source. */
  sources: Record<string, { seconds: number; perProcess: number[] }>;
  /** This bench process (the load generator and its clients). */
  benchSeconds: number;
  machineBusySeconds: number;
  machineIowaitSeconds: number;
}

/** Measures CPU time from `start()` to `stop()`. */
export class CpuMeter {
  /** Per source: pid → CPU seconds when first seen (0 if it appeared after the start) and when last seen. */
  private readonly seen = new Map<string, Map<number, { first: number; last: number }>>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private started = { wall: 0, bench: process.cpuUsage(), machine: machineSeconds() };

  constructor(private readonly sourceList: CpuSource[]) {}

  private async poll(initial: boolean) {
    for (const source of this.sourceList) {
      const known = this.seen.get(source.name) ?? new Map();
      this.seen.set(source.name, known);
      for (const pid of await source.pids()) {
        const seconds = processCpuSeconds(pid);
        if (seconds === undefined) continue;
        const entry = known.get(pid);
        if (entry) entry.last = seconds;
        else known.set(pid, { first: initial ? seconds : 0, last: seconds });
      }
    }
  }

  async start(): Promise<void> {
    await this.poll(true);
    this.started = { wall: performance.now(), bench: process.cpuUsage(), machine: machineSeconds() };
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll(false)).catch(() => {});
    }, POLL_MS);
  }

  async stop(): Promise<CpuReading> {
    clearInterval(this.timer);
    const wallSeconds = (performance.now() - this.started.wall) / 1000;
    const bench = process.cpuUsage(this.started.bench);
    const machine = machineSeconds();
    await this.polling;
    await this.poll(false);
    const sources: CpuReading["sources"] = {};
    for (const source of this.sourceList) {
      const perProcess = [...(this.seen.get(source.name)?.values() ?? [])].map((e) => e.last - e.first);
      sources[source.name] = { seconds: perProcess.reduce((s, x) => s + x, 0), perProcess };
    }
    return {
      wallSeconds,
      sources,
      benchSeconds: (bench.user + bench.system) / 1e6,
      machineBusySeconds: machine.busy - this.started.machine.busy,
      machineIowaitSeconds: machine.iowait - this.started.machine.iowait,
    };
  }
}

/** Readings of several windows (alternating rounds) added up, as if one. */
export function addReadings(readings: CpuReading[]): CpuReading {
  const sum = (pick: (r: CpuReading) => number) => readings.reduce((s, r) => s + pick(r), 0);
  const sources: CpuReading["sources"] = {};
  for (const reading of readings) {
    for (const [name, source] of Object.entries(reading.sources)) {
      const total = (sources[name] ??= { seconds: 0, perProcess: [] });
      total.seconds += source.seconds;
      // Same processes in every window, in the order first seen; a later window may know more.
      source.perProcess.forEach((x, i) => (total.perProcess[i] = (total.perProcess[i] ?? 0) + x));
    }
  }
  return {
    wallSeconds: sum((r) => r.wallSeconds),
    sources,
    benchSeconds: sum((r) => r.benchSeconds),
    machineBusySeconds: sum((r) => r.machineBusySeconds),
    machineIowaitSeconds: sum((r) => r.machineIowaitSeconds),
  };
}

/** CPU seconds per second of wall time: 1.00 is one core kept busy. */
export const cores = (seconds: number, reading: CpuReading) => seconds / reading.wallSeconds;

/** A Node process runs JavaScript on one thread: near one core it can go no faster. */
const ONE_PROCESS_SATURATED = 0.85;
/** The machine as a whole: this share of its cores busy leaves nothing for anyone. */
const MACHINE_SATURATED = 0.9;
/** Other work above this many cores means the figures were measured on a disturbed machine. */
const DISTURBED_CORES = 0.25;

/**
 * Lines on what limits a load of `operations` operations: where the CPU went
 * (in cores), what each operation cost the app processes and PostgreSQL, and
 * which of them is at its ceiling: the machine's cores, one app process's
 * JavaScript thread, or neither (then the load waits rather than computes).
 * `app` and `database` name sources of the reading.
 */
export function cpuLimitLines(reading: CpuReading, app: string, database: string, operations: number): string[] {
  const total = os.cpus().length;
  const appSource = reading.sources[app];
  const busy = cores(reading.machineBusySeconds, reading);
  const appCores = cores(appSource.seconds, reading);
  const dbCores = cores(reading.sources[database].seconds, reading);
  const benchCores = cores(reading.benchSeconds, reading);
  const other = Math.max(0, busy - appCores - dbCores - benchCores);
  const perProcess = appSource.perProcess.map((s) => cores(s, reading));
  const busiest = Math.max(...perProcess);
  const msEach = (seconds: number) => (seconds * 1000) / operations;
  const appMs = msEach(appSource.seconds);
  const dbMs = msEach(reading.sources[database].seconds);
  const benchMs = msEach(reading.benchSeconds);
  const processes = perProcess.length;
  const where =
    `CPU in cores (1.00 = one core busy, ${total} in all): app process${processes > 1 ? "es" : ""} ` +
    `${perProcess.map((x) => x.toFixed(2)).join(" + ")}, PostgreSQL backends ${dbCores.toFixed(2)}, ` +
    `load generator ${benchCores.toFixed(2)}, rest of the machine ${other.toFixed(2)}; ` +
    `machine busy ${busy.toFixed(2)} of ${total}, iowait ${cores(reading.machineIowaitSeconds, reading).toFixed(2)}`;
  // What the CPU cost alone would allow: each app process runs its JavaScript on one core at most.
  const ceilings =
    `CPU per operation: app ${appMs.toFixed(2)} ms, PostgreSQL ${dbMs.toFixed(2)} ms, load generator ${benchMs.toFixed(2)} ms; ` +
    `ceilings from CPU alone: ${processes} app process${processes > 1 ? "es" : ""} ≤ ${((processes * 1000) / appMs).toFixed(0)}/s, ` +
    `the ${total} cores for app + PostgreSQL + load generator ≤ ${((total * 1000) / (appMs + dbMs + benchMs)).toFixed(0)}/s`;
  const larger =
    appMs >= dbMs
      ? `the app processes (${appMs.toFixed(2)} ms of CPU per operation against PostgreSQL's ${dbMs.toFixed(2)})`
      : `PostgreSQL (${dbMs.toFixed(2)} ms of CPU per operation against the app processes' ${appMs.toFixed(2)})`;
  let verdict: string;
  if (busy >= MACHINE_SATURATED * total) {
    verdict = `the ${total} cores are saturated, and of the CPU this load used most went to ${larger}: they saturate first`;
    if (busiest >= ONE_PROCESS_SATURATED) verdict += `; one app process is at its one-thread ceiling (${busiest.toFixed(2)})`;
  } else if (busiest >= ONE_PROCESS_SATURATED) {
    verdict = `an app process saturates: ${busiest.toFixed(2)} of the one core its JavaScript thread can use, with ${(total - busy).toFixed(2)} core(s) idle`;
  } else {
    verdict = `no CPU saturates (${(total - busy).toFixed(2)} core(s) idle): the writes spend their time waiting (commit flushes, locks, round trips), not computing; most CPU went to ${larger}`;
  }
  if (other >= DISTURBED_CORES) verdict += ` (other work on the machine took ${other.toFixed(2)} cores meanwhile: a disturbed measurement)`;
  return [`${where}`, ceilings, `→ ${verdict}`];
}
