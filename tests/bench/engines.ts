/**
 * The same read and write scenarios as the read and write groups
 * (scenarios.ts), run against two servers that differ only in their engine:
 * one on its own SQLite file (WAL, synchronous=FULL, the default), one on a
 * fresh PostgreSQL database (postgres.ts; SERIALIZABLE transactions, the
 * server's own durability settings). One process each, no Redis. Each has its
 * own workspace with the same members and the same trail. The request
 * scenarios alternate between the two servers in rounds, so drift in the
 * machine falls on both alike; the live-channel scenarios run on one server
 * after the other. /healthz touches no database: its ratio shows how far apart
 * the two processes are before any engine is involved.
 */
import { startDeployment } from "./app-processes.ts";
import { benchWorkspace, fillTrail, type BenchWorkspace } from "./fixtures.ts";
import { runInterleaved, timed, type LoadResult, type Operation } from "./load.ts";
import { createScratchDatabase, postgresFacts } from "./postgres.ts";
import { csvExport, inviteRequest, measureLiveChannel, readRequests, type Plan } from "./scenarios.ts";
import { startBenchServer, stopAll } from "./servers.ts";
import { summarize, type Summary } from "./stats.ts";
import type { TableGroup } from "./table.ts";

interface Engine {
  name: "SQLite" | "PostgreSQL";
  url: string;
  ws: BenchWorkspace;
  trail: number;
}

interface Comparison {
  label: string;
  concurrency: number;
  sqlite: Summary;
  postgres: Summary;
  baseline?: boolean;
  truncated: boolean;
}

export async function enginesBench(plan: Plan, log: (line: string) => void): Promise<TableGroup[]> {
  const database = await createScratchDatabase(log);
  // The live-channel replay joins and leaves hundreds of times in a few seconds (see scenarios.ts).
  const env = { SOCKET_MESSAGES_PER_10S: "100000" };
  const { value: servers, ms: startMs } = await timed(async () => {
    const sqlite = await startBenchServer(env);
    const postgres = await startDeployment(database, { label: "engines", count: 1, env });
    return { sqlite, postgres: postgres.processes[0].server };
  });
  log(
    `engines: servers started in ${startMs.toFixed(0)} ms: SQLite at ${servers.sqlite.url} (${servers.sqlite.databasePath}), ` +
      `PostgreSQL at ${servers.postgres.url} (database ${database.name})`,
  );
  const facts = await postgresFacts();

  const engines: Engine[] = [];
  for (const [name, server] of [
    ["SQLite", servers.sqlite],
    ["PostgreSQL", servers.postgres],
  ] as const) {
    const { value: ws, ms: wsMs } = await timed(() => benchWorkspace(server.url, 9));
    const { value: trail, ms: fillMs } = await timed(() => fillTrail(server.url, ws, plan.trailEvents));
    log(
      `engines: ${name} workspace with 10 members set up in ${wsMs.toFixed(0)} ms, trail filled to ${trail} events in ${fillMs.toFixed(0)} ms`,
    );
    engines.push({ name, url: server.url, ws, trail });
  }
  const [sqlite, postgres] = engines;

  const rows: Comparison[] = [];
  const compare = async (label: string, concurrency: number, ops: [Operation, Operation], counts: { warmup: number; count: number }) => {
    const [s, p] = await runInterleaved(ops, { ...counts, concurrency, budgetMs: plan.budgetMs, rounds: plan.writeRounds });
    rows.push(comparison(label, concurrency, s, p, label.startsWith("GET /healthz")));
  };
  for (const concurrency of [1, 8]) {
    const reads = [readRequests(sqlite.url, sqlite.ws, sqlite.trail), readRequests(postgres.url, postgres.ws, postgres.trail)];
    for (const [i, [label]] of reads[0].entries()) {
      await compare(label.replace(/trail of \d+/, `trail of ~${plan.trailEvents}`), concurrency, [reads[0][i][1], reads[1][i][1]], {
        warmup: plan.readWarmup,
        count: plan.readCount,
      });
    }
    if (concurrency === 1) {
      await compare(
        `GET …/events.csv (whole trail, ~${plan.trailEvents} rows)`,
        1,
        [csvExport(sqlite.url, sqlite.ws), csvExport(postgres.url, postgres.ws)],
        {
          warmup: 1,
          count: plan.csvCount,
        },
      );
    }
    await compare(
      "POST …/invitations (+ audit event, one transaction)",
      concurrency,
      [inviteRequest(sqlite.url, sqlite.ws), inviteRequest(postgres.url, postgres.ws)],
      { warmup: plan.writeWarmup, count: plan.writeCount },
    );
  }

  const live = [];
  for (const engine of engines) live.push(await measureLiveChannel(engine.url, engine.ws, plan));
  const [sLive, pLive] = live;
  rows.push(
    comparison(`live: join, replay of the whole trail (~${plan.trailEvents} events)`, 1, sLive.replay.full, pLive.replay.full),
    comparison(`live: POST invitation → event at all ${sLive.writes.sockets} sockets`, 1, sLive.writes.last, pLive.writes.last),
  );
  await stopAll();
  return [enginesTable(rows, plan, facts)];
}

function comparison(label: string, concurrency: number, sqlite: LoadResult, postgres: LoadResult, baseline = false): Comparison {
  return {
    label,
    concurrency,
    sqlite: summarize(sqlite.samples, sqlite.wallMs),
    postgres: summarize(postgres.samples, postgres.wallMs),
    baseline,
    truncated: sqlite.truncated || postgres.truncated,
  };
}

function enginesTable(rows: Comparison[], plan: Plan, facts: string): TableGroup {
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
  const rate = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : "-");
  return {
    title: "Engines: the same requests on SQLite and on PostgreSQL (one server each, side by side)",
    note:
      "latencies in ms per request, client-side; req/s = completed requests per second of measured wall time; " +
      `PG/SQLite = PostgreSQL's figure / SQLite's (above 1: slower on PostgreSQL); requests alternate between the servers in ${plan.writeRounds} rounds; ` +
      "live rows: SQLite's server first, then PostgreSQL's; baseline: GET /healthz (no database), whose ratio shows the gap between the two processes alone",
    header: [
      "scenario",
      "conc",
      "n",
      "SQLite mean",
      "p50",
      "p99",
      "req/s",
      "PostgreSQL mean",
      "p50",
      "p99",
      "req/s",
      "PG/SQLite mean",
      "PG/SQLite p99",
    ],
    body: rows.map((r) => [
      r.label + (r.baseline ? " [baseline]" : "") + (r.truncated ? " (time budget hit)" : ""),
      String(r.concurrency),
      r.sqlite.n === r.postgres.n ? String(r.sqlite.n) : `${r.sqlite.n}/${r.postgres.n}`,
      ms(r.sqlite.mean),
      ms(r.sqlite.p50),
      ms(r.sqlite.p99),
      rate(r.sqlite.throughput),
      ms(r.postgres.mean),
      ms(r.postgres.p50),
      ms(r.postgres.p99),
      rate(r.postgres.throughput),
      ratio(r.postgres.mean, r.sqlite.mean),
      ratio(r.postgres.p99, r.sqlite.p99),
    ]),
    footer: [
      `SQLite: WAL, synchronous=FULL (the default); ${facts}`,
      "both servers and the load generator share the machine's cores; ratios move by a tenth or more between runs on a busy machine",
    ],
  };
}
