/**
 * The three bench scenarios. Each answers table groups; none judges a figure.
 *
 *  1. read path   — /healthz (no database) as the baseline, then token lookup,
 *                   members, a 100-event page and the CSV export of the trail.
 *  2. write path  — POST invitations (the audit event in the same transaction)
 *                   with synchronous=FULL (the default) against NORMAL (baseline).
 *  3. live channel — write → `event` at 20 joined sockets, and a join that
 *                   replays the whole trail (~1000 events) before its ack.
 */
import { performance } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { openSocket, handshake } from "../support/socket.ts";
import { request } from "./http.ts";
import { runInterleaved, runLoad, timed, type LoadOptions, type LoadResult, type Operation } from "./load.ts";
import { benchWorkspace, eventIds, fillTrail, type BenchWorkspace } from "./fixtures.ts";
import { startBenchServer, stopAll } from "./servers.ts";
import { summarize, type Summary } from "./stats.ts";
import type { Group, Row } from "./table.ts";

export interface Plan {
  readCount: number;
  readWarmup: number;
  csvCount: number;
  writeCount: number;
  writeWarmup: number;
  writeRounds: number;
  fanoutSockets: number;
  fanoutCount: number;
  replayCount: number;
  joinCount: number;
  trailEvents: number;
  budgetMs: number;
}

export const DEFAULT_PLAN: Plan = {
  readCount: 400,
  readWarmup: 50,
  csvCount: 5,
  writeCount: 500,
  writeWarmup: 30,
  writeRounds: 5,
  fanoutSockets: 20,
  fanoutCount: 200,
  replayCount: 30,
  joinCount: 100,
  trailEvents: 1000,
  budgetMs: 15_000,
};

/** Set-up steps and their durations, printed under the tables (not part of any measurement). */
export const setupLog: string[] = [];
const log = (line: string) => {
  setupLog.push(line);
  console.error(`  ${line}`);
};

function row(label: string, concurrency: number, result: { samples: number[]; wallMs: number; truncated: boolean }, baseline = false): Row {
  return { label, concurrency, summary: summarize(result.samples, result.wallMs), baseline, truncated: result.truncated };
}

// ---------------------------------------------------------------------------------------------
// 1 + 3: read path and live channel share one server (default durability) and one workspace.

export async function readAndLive(plan: Plan): Promise<Group[]> {
  // The replay scenario joins and leaves on one socket hundreds of times in a few seconds; the
  // per-connection message budget (a flood guard, tested on its own) would refuse that.
  const { value: server, ms: startMs } = await timed(() => startBenchServer({ SOCKET_MESSAGES_PER_10S: "100000" }));
  log(`read/live server started in ${startMs.toFixed(0)} ms at ${server.url} (database ${server.databasePath})`);
  const url = server.url;

  const { value: ws, ms: wsMs } = await timed(() => benchWorkspace(url, 9));
  log(`workspace with a lead and ${ws.members.length} observers set up in ${wsMs.toFixed(0)} ms`);
  const { value: trail, ms: fillMs } = await timed(() => fillTrail(url, ws, plan.trailEvents));
  log(`trail filled to ${trail} events (one invitation each) in ${fillMs.toFixed(0)} ms`);

  const groups = [...(await readPath(url, ws, plan, trail)), ...(await liveChannel(url, ws, plan))];
  await stopAll();
  return groups;
}

/** The read path's requests, labelled; the first (/healthz, no database) is the baseline. */
export function readRequests(url: string, ws: BenchWorkspace, trail: number): [string, Operation][] {
  const token = ws.lead.token;
  const base = `${url}/api/v1/workspaces/${ws.workspaceId}`;
  return [
    ["GET /healthz (no database)", request(`${url}/healthz`, { expect: 200 })],
    ["GET /api/v1/me (token hash lookup)", request(`${url}/api/v1/me`, { token, expect: 200 })],
    [`GET …/members (${ws.members.length + 1} members)`, request(`${base}/members`, { token, expect: 200 })],
    [`GET …/events?limit=100 (trail of ${trail})`, request(`${base}/events?limit=100`, { token, expect: 200 })],
  ];
}

/** The whole trail as CSV. Each export is itself recorded, so the trail grows by one per request. */
export const csvExport = (url: string, ws: BenchWorkspace) =>
  request(`${url}/api/v1/workspaces/${ws.workspaceId}/events.csv`, { token: ws.lead.token, expect: 200 });

/** The write path's request: an invitation, written with its audit event in one transaction. */
export const inviteRequest = (url: string, ws: BenchWorkspace) =>
  request(`${url}/api/v1/workspaces/${ws.workspaceId}/invitations`, {
    method: "POST",
    token: ws.lead.token,
    body: { role: "observer" },
    expect: 201,
  });

async function readPath(url: string, ws: BenchWorkspace, plan: Plan, trail: number): Promise<Group[]> {
  const reads = readRequests(url, ws, trail);
  const groups: Group[] = [];
  for (const concurrency of [1, 8]) {
    const options: LoadOptions = { warmup: plan.readWarmup, count: plan.readCount, concurrency, budgetMs: plan.budgetMs };
    const rows: Row[] = [];
    for (const [i, [label, op]] of reads.entries()) {
      rows.push(row(label, concurrency, await runLoad(op, options), i === 0));
    }
    if (concurrency === 1) {
      const result = await runLoad(csvExport(url, ws), { warmup: 1, count: plan.csvCount, concurrency: 1, budgetMs: plan.budgetMs });
      rows.push(row(`GET …/events.csv (whole trail, ~${trail} rows)`, 1, result));
    }
    groups.push({
      title: `Read path, concurrency ${concurrency}`,
      note: `baseline: GET /healthz at the same concurrency; vs baseline = mean latency / baseline mean latency`,
      rows,
    });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// 2: write path, FULL vs NORMAL, on two servers measured in alternating rounds.

export async function writePath(plan: Plan): Promise<Group[]> {
  const { value: servers, ms: startMs } = await timed(() =>
    Promise.all([startBenchServer({ SQLITE_SYNCHRONOUS: "NORMAL" }), startBenchServer({})]),
  );
  const [normal, full] = servers;
  log(
    `write servers started in ${startMs.toFixed(0)} ms: NORMAL at ${normal.url} (${normal.databasePath}), FULL at ${full.url} (${full.databasePath})`,
  );
  const [normalWs, fullWs] = await Promise.all([benchWorkspace(normal.url, 0), benchWorkspace(full.url, 0)]);
  const ops = [inviteRequest(normal.url, normalWs), inviteRequest(full.url, fullWs)];

  const groups: Group[] = [];
  for (const concurrency of [1, 8]) {
    const [n, f] = await runInterleaved(ops, {
      warmup: plan.writeWarmup,
      count: plan.writeCount,
      concurrency,
      budgetMs: plan.budgetMs,
      rounds: plan.writeRounds,
    });
    const normalRow = row("POST …/invitations, SQLITE_SYNCHRONOUS=NORMAL", concurrency, n, true);
    const fullRow = row("POST …/invitations, synchronous=FULL (default)", concurrency, f);
    groups.push({
      title: `Write path (invitation + audit event in one transaction), concurrency ${concurrency}`,
      note: `baseline: the same request on a server with SQLITE_SYNCHRONOUS=NORMAL; rounds alternate NORMAL/FULL (${plan.writeRounds} rounds)`,
      rows: [normalRow, fullRow],
      footer: [ratioLine("FULL / NORMAL", fullRow.summary, normalRow.summary)],
    });
  }
  await stopAll();
  return groups;
}

function ratioLine(label: string, a: Summary, b: Summary): string {
  const r = (x: number, y: number) => `${(x / y).toFixed(2)}x`;
  return (
    `${label}: mean ${r(a.mean, b.mean)}, p50 ${r(a.p50, b.p50)}, p95 ${r(a.p95, b.p95)}, ` +
    `p99 ${r(a.p99, b.p99)}, throughput ${r(a.throughput, b.throughput)}; ` +
    `mean difference ${a.mean - b.mean >= 0 ? "+" : ""}${(a.mean - b.mean).toFixed(2)} ms per request`
  );
}

// ---------------------------------------------------------------------------------------------
// 3: live channel.

const SOCKET_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${SOCKET_TIMEOUT_MS} ms`)), SOCKET_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function connect(url: string, token: string): Promise<Socket> {
  const socket = openSocket(url, { auth: { token }, transports: ["websocket"] });
  const outcome = await withTimeout(handshake(socket), "socket handshake");
  if (!outcome.connected) {
    socket.disconnect();
    throw new Error(`live channel refused the connection: ${outcome.error.message}`);
  }
  return socket;
}

async function join(socket: Socket, workspaceId: string, afterEventId: string) {
  const ack = await withTimeout(socket.emitWithAck("workspace:join", { workspaceId, afterEventId }), "workspace:join");
  if (!ack?.ok) throw new Error(`workspace:join refused: ${JSON.stringify(ack)}`);
}

async function leave(socket: Socket, workspaceId: string) {
  await withTimeout(socket.emitWithAck("workspace:leave", { workspaceId }), "workspace:leave");
}

async function liveChannel(url: string, ws: BenchWorkspace, plan: Plan): Promise<Group[]> {
  const { replay, writes } = await measureLiveChannel(url, ws, plan);
  return [
    {
      title: "Live channel: join a workspace and replay the trail",
      note: "one socket, connected once; timed from emit to ack (the replay arrives before the ack), a leave between joins; req/s = joins/s of joining time; baseline: join with afterEventId = latest id",
      rows: [
        row("join, afterEventId = latest (0 replayed)", 1, replay.noReplay, true),
        row(`join, afterEventId = 0 (${replay.replayed} events replayed)`, 1, replay.full),
      ],
    },
    {
      title: `Live channel: write via the API → \`event\` at joined sockets (${writes.sockets} sockets, ${writes.members} members)`,
      note: "writes one at a time (POST invitation); times from sending the POST; baseline: the POST's own 201 answer with all sockets joined; req/s = writes/s",
      rows: [
        row(`POST → 201 answer (${writes.sockets} sockets joined)`, 1, writes.api, true),
        row(`POST → event at the first of ${writes.sockets} sockets`, 1, writes.first),
        row(`POST → event at all ${writes.sockets} sockets (last arrival)`, 1, writes.last),
        row("POST → event at 1 socket (only one joined)", 1, writes.one),
      ],
    },
  ];
}

/** Both live-channel measurements on one server, its sockets closed afterwards. */
export async function measureLiveChannel(url: string, ws: BenchWorkspace, plan: Plan) {
  const sockets: Socket[] = [];
  try {
    return { replay: await measureReplay(url, ws, plan, sockets), writes: await measureLiveWrites(url, ws, plan, sockets) };
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}

/** Join with afterEventId=latest (nothing to replay, baseline) against afterEventId=0 (the whole trail). */
async function measureReplay(url: string, ws: BenchWorkspace, plan: Plan, sockets: Socket[]) {
  const ids = await eventIds(url, ws);
  const latest = ids[ids.length - 1];
  const socket = await connect(url, ws.lead.token);
  sockets.push(socket);
  let received = 0;
  socket.on("event", () => received++);

  // Only the join is timed (emit → ack, the replay arriving in between); the leave before the next one is not.
  async function measure(afterEventId: string, expected: number, warmup: number, count: number) {
    const samples: number[] = [];
    const deadline = performance.now() + plan.budgetMs;
    let wallMs = 0;
    for (let i = 0; i < warmup + count && performance.now() < deadline; i++) {
      received = 0;
      const t0 = performance.now();
      await join(socket, ws.workspaceId, afterEventId);
      const ms = performance.now() - t0;
      // Events are sent before the ack on the same socket, so all of them are in by now.
      if (received !== expected) throw new Error(`join after ${afterEventId}: ${received} events replayed, expected ${expected}`);
      if (i >= warmup) {
        samples.push(ms);
        wallMs += ms;
      }
      await leave(socket, ws.workspaceId);
    }
    return { samples, wallMs, truncated: samples.length < count };
  }
  const noReplay: LoadResult = await measure(latest, 0, 10, plan.joinCount);
  const full: LoadResult = await measure("0", ids.length, 3, plan.replayCount);
  return { noReplay, full, replayed: ids.length };
}

/** Write via the API, then wait for the `event` at every joined socket. */
async function measureLiveWrites(url: string, ws: BenchWorkspace, plan: Plan, sockets: Socket[]) {
  const ids = await eventIds(url, ws);
  const latest = ids[ids.length - 1];
  const people = [ws.lead, ...ws.members];
  const listeners: Socket[] = [];
  for (let i = 0; i < plan.fanoutSockets; i++) {
    const socket = await connect(url, people[i % people.length].token);
    sockets.push(socket);
    listeners.push(socket);
  }

  let pending: { arrivals: number[]; expect: number; done: () => void } | null = null;
  for (const socket of listeners) {
    socket.on("event", (event: { type: string }) => {
      if (!pending || event.type !== "invitation.created") return;
      pending.arrivals.push(performance.now());
      if (pending.arrivals.length === pending.expect) pending.done();
    });
  }

  const invite = inviteRequest(url, ws);

  async function measure(joined: number, warmup: number, count: number) {
    const api: number[] = [];
    const first: number[] = [];
    const last: number[] = [];
    let record = false;
    const op = async () => {
      let done!: () => void;
      const allArrived = new Promise<void>((resolve) => (done = resolve));
      const current = { arrivals: [] as number[], expect: joined, done };
      pending = current;
      const t0 = performance.now();
      await invite();
      const tApi = performance.now();
      await withTimeout(allArrived, `event at ${joined} sockets`);
      pending = null;
      if (record) {
        api.push(tApi - t0);
        first.push(current.arrivals[0] - t0);
        last.push(current.arrivals[current.arrivals.length - 1] - t0);
      }
    };
    await runLoad(op, { warmup, count: 0, concurrency: 1, budgetMs: plan.budgetMs });
    record = true;
    const result = await runLoad(op, { warmup: 0, count, concurrency: 1, budgetMs: plan.budgetMs });
    const as = (samples: number[]): LoadResult => ({ samples, wallMs: result.wallMs, truncated: result.truncated });
    return { api: as(api), first: as(first), last: as(last) };
  }

  // One socket joined first, then all of them.
  await join(listeners[0], ws.workspaceId, latest);
  const one = await measure(1, 10, Math.round(plan.fanoutCount / 2));
  for (const socket of listeners.slice(1)) await join(socket, ws.workspaceId, latest);
  const all = await measure(listeners.length, 10, plan.fanoutCount);
  return { sockets: listeners.length, members: people.length, api: all.api, first: all.first, last: all.last, one: one.last };
}
