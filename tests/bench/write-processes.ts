/**
 * Write throughput with one app process and with two, on PostgreSQL: N
 * concurrent HTTP writers post a bounded number of comments (each a comment
 * row and its audit event in one SERIALIZABLE transaction), first all into
 * one workspace, then spread over several. Within one workspace every commit
 * waits its turn for the workspace's event lock (it keeps each workspace's
 * event ids in commit order, db/engines/postgres.ts); across workspaces it
 * does not. With two processes the requests go to the processes in turn. Both
 * deployments run side by side on one scratch database and the local Redis
 * (a prefix each), and all loads are measured in alternating rounds so that
 * drift in the machine falls on each alike.
 *
 * While each round runs, the CPU time of the deployment's app processes, of
 * the PostgreSQL backends serving them, of this bench and of the whole machine
 * is read from /proc (cpu.ts), and what those backends are doing is sampled
 * (backend-waits.ts): the lines under the table say which side is nearest its
 * ceiling on this machine.
 */
import { performance } from "node:perf_hooks";
import { type Deployment, startDeployment } from "./app-processes.ts";
import { BackendWaits } from "./backend-waits.ts";
import { addReadings, CpuMeter, type CpuReading, cores, cpuLimitLines } from "./cpu.ts";
import { benchWorkspace, siblingWorkspace } from "./fixtures.ts";
import { runLoad } from "./load.ts";
import { createScratchDatabase, postgresFacts, type ScratchDatabase } from "./postgres.ts";
import { benchRedisPrefix } from "./redis.ts";
import { stopAll } from "./servers.ts";
import { summarize } from "./stats.ts";
import type { TableGroup } from "./table.ts";

export interface WriteProcessesPlan {
  /** Concurrent HTTP writers, each posting one comment after another. */
  writers: number;
  /** The loads: writers in one workspace, then spread over more (writer requests go to the workspaces in turn). */
  workspaceCounts: number[];
  /** Comments measured per load, over all rounds. */
  comments: number;
  /** Comments thrown away per load before measuring. */
  warmup: number;
  rounds: number;
  /** Wall-clock cap per load, over all rounds. */
  budgetMs: number;
}

export const WRITE_PROCESSES_PLAN: WriteProcessesPlan = {
  writers: 16,
  workspaceCounts: [1, 8],
  comments: 1000,
  warmup: 50,
  rounds: 4,
  budgetMs: 45_000,
};
export const WRITE_PROCESSES_QUICK_PLAN: WriteProcessesPlan = {
  writers: 8,
  workspaceCounts: [1, 4],
  comments: 200,
  warmup: 20,
  rounds: 2,
  budgetMs: 20_000,
};

/** Members who write (the lead and observers); their tokens go to the requests in turn. */
const AUTHORS = 4;

/** One deployment under one load, and what was measured of it. */
interface Load {
  deployment: Deployment;
  workspaces: number;
  samples: number[];
  wallMs: number;
  truncated: boolean;
  errors: number;
  firstError?: string;
  readings: CpuReading[];
  waits?: BackendWaits;
  /** One comment: resolves once the server answered; a refusal is counted, not thrown (the figures stay readable). */
  write(): Promise<void>;
}

async function loadsFor(deployment: Deployment, workspaceCounts: number[]): Promise<Load[]> {
  const first = await benchWorkspace(deployment.urls[0], AUTHORS - 1);
  const most = Math.max(...workspaceCounts);
  const spaces = [first];
  for (let i = 1; i < most; i++) spaces.push(await siblingWorkspace(first, `Bench consortium ${i + 1}`));
  const targets: { workspaceId: string; body: string }[] = [];
  for (const ws of spaces) {
    const study = await ws.lead.api.post(`/api/v1/workspaces/${ws.workspaceId}/studies`, { title: "Write throughput study" });
    if (study.status !== 201) throw new Error(`study: ${study.status} ${JSON.stringify(study.body)}`);
    const body = JSON.stringify({
      target: { type: "study", id: study.body.id },
      body: "Throughput check: the week-twelve visit stays as planned.",
    });
    targets.push({ workspaceId: ws.workspaceId, body });
  }
  const tokens = [first.lead, ...first.members].map((m) => m.token);
  return workspaceCounts.map((workspaces) => {
    let sequence = 0;
    const load: Load = {
      deployment,
      workspaces,
      samples: [],
      wallMs: 0,
      truncated: false,
      errors: 0,
      readings: [],
      async write() {
        const i = sequence++;
        const url = deployment.urls[i % deployment.urls.length];
        const target = targets[i % workspaces];
        const response = await fetch(`${url}/api/v1/workspaces/${target.workspaceId}/comments`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, "content-type": "application/json" },
          body: target.body,
        });
        const text = await response.text();
        if (response.status !== 201) {
          load.errors++;
          load.firstError ??= `${response.status} ${text.slice(0, 200)}`;
        }
      },
    };
    return load;
  });
}

function cpuMeterFor(deployment: Deployment, database: ScratchDatabase): CpuMeter {
  return new CpuMeter([
    { name: "app", pids: () => deployment.processes.map((p) => p.pid) },
    { name: "postgres", pids: () => database.backendPids(deployment.applicationNames) },
  ]);
}

/** One round of one load, with its CPU and its backends' waits measured alongside. */
async function measureRound(load: Load, database: ScratchDatabase, count: number, concurrency: number, budgetMs: number) {
  const meter = cpuMeterFor(load.deployment, database);
  const waits = new BackendWaits(database, load.deployment.applicationNames);
  await meter.start();
  waits.start();
  const t0 = performance.now();
  const result = await runLoad(() => load.write(), { warmup: 0, count, concurrency, budgetMs });
  load.wallMs += performance.now() - t0;
  load.readings.push(await meter.stop());
  await waits.stop();
  if (load.waits) load.waits.add(waits);
  else load.waits = waits;
  load.samples.push(...result.samples);
  load.truncated ||= result.truncated;
}

export async function writeProcessesBench(plan: WriteProcessesPlan, log: (line: string) => void): Promise<TableGroup> {
  const database = await createScratchDatabase(log);
  const single = await startDeployment(database, { label: "write1", count: 1, redisPrefix: benchRedisPrefix("write1") });
  const pair = await startDeployment(database, { label: "write2", count: 2, redisPrefix: benchRedisPrefix("write2") });
  log(`write throughput: database ${database.name}; 1 process at ${single.urls[0]}; 2 processes at ${pair.urls.join(" and ")}`);
  const facts = await postgresFacts();
  const [singleLoads, pairLoads] = [await loadsFor(single, plan.workspaceCounts), await loadsFor(pair, plan.workspaceCounts)];
  // Per workspace count: one process, then two.
  const loads = plan.workspaceCounts.flatMap((_, i) => [singleLoads[i], pairLoads[i]]);

  for (const load of loads) {
    await runLoad(() => load.write(), { warmup: plan.warmup, count: 0, concurrency: plan.writers, budgetMs: plan.budgetMs });
  }
  const perRound = Math.ceil(plan.comments / plan.rounds);
  for (let round = 0; round < plan.rounds; round++) {
    for (const load of loads) {
      const remaining = plan.comments - load.samples.length;
      if (remaining > 0) await measureRound(load, database, Math.min(perRound, remaining), plan.writers, plan.budgetMs / plan.rounds);
    }
  }
  await stopAll();
  return writeProcessesTable(loads, plan, facts);
}

function writeProcessesTable(loads: Load[], plan: WriteProcessesPlan, facts: string): TableGroup {
  const figures = loads.map((load) => ({ load, summary: summarize(load.samples, load.wallMs), reading: addReadings(load.readings) }));
  const processesText = (load: Load) =>
    `${load.deployment.processes.length} app process${load.deployment.processes.length > 1 ? "es" : ""}`;
  const workspacesText = (load: Load) => `${load.workspaces} workspace${load.workspaces > 1 ? "s" : ""}`;
  const body = figures.map(({ load, summary: s, reading: r }) => {
    const baseline = figures.find((f) => f.load.workspaces === load.workspaces && f.load.deployment.processes.length === 1)!;
    const isBaseline = baseline.load === load;
    return [
      `POST …/comments, ${workspacesText(load)}, ${processesText(load)}${isBaseline ? " [baseline]" : ""}${load.truncated ? " (time budget hit)" : ""}`,
      String(load.workspaces),
      String(load.deployment.processes.length),
      String(s.n),
      load.errors ? `${load.errors} NOT 0` : "0",
      s.throughput.toFixed(0),
      s.p50.toFixed(1),
      s.p99.toFixed(1),
      cores(r.sources.app.seconds, r).toFixed(2),
      cores(r.sources.postgres.seconds, r).toFixed(2),
      cores(r.machineBusySeconds, r).toFixed(2),
      `${((r.sources.app.seconds * 1000) / s.n).toFixed(2)} / ${((r.sources.postgres.seconds * 1000) / s.n).toFixed(2)}`,
      `${(s.throughput / baseline.summary.throughput).toFixed(2)}x`,
    ];
  });
  return {
    title: `Write throughput: ${plan.writers} concurrent HTTP writers posting comments, 1 app process vs 2 (PostgreSQL)`,
    note:
      "comments/s = answered comments per second of measured wall time; latency in ms per request, client-side; " +
      'CPU columns in cores (CPU-seconds per second of wall time, 1.00 = one core busy) from /proc; "CPU ms/comment" = app processes / PostgreSQL backends; ' +
      `all loads alternate in ${plan.rounds} rounds; baseline: the same load on one process; vs 1 process = comments/s ratio`,
    header: [
      "scenario",
      "workspaces",
      "processes",
      "n",
      "errors",
      "comments/s",
      "p50 ms",
      "p99 ms",
      "app CPU",
      "PG CPU",
      "machine busy",
      "CPU ms/comment",
      "vs 1 process",
    ],
    body,
    footer: [
      ...figures.flatMap(({ load, summary, reading }) =>
        [...cpuLimitLines(reading, "app", "postgres", summary.n), load.waits?.line() ?? ""].map(
          (line, j) => `${j === 0 ? `${workspacesText(load)}, ${processesText(load)}: ` : "  "}${line}`,
        ),
      ),
      ...figures
        .filter(({ load }) => load.firstError)
        .map(({ load }) => `first refusal, ${workspacesText(load)}, ${processesText(load)}: ${load.firstError}`),
      `each comment: comment row + audit event in one SERIALIZABLE transaction, retried on conflict; ${facts}; Redis adapter on the local Redis for both deployments`,
    ],
  };
}
