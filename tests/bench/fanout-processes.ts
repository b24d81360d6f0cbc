/**
 * Comment fan-out across processes: the same number of live clients joined to
 * one workspace of a deployment of ONE app process and of a deployment of TWO
 * app processes (clients spread evenly over them), both on one scratch
 * PostgreSQL database and the local Redis, each deployment under a Redis
 * prefix of its own. In the two-process deployment a comment posted to one
 * process reaches the other's clients through the Redis adapter's doorbell and
 * that process's read of the events table (server/realtime/feed.ts); comments
 * go to the two processes in turn. Beside them, in the same run and to the
 * same number of clients, the bare Socket.IO server of the fan-out group
 * broadcasting a payload of the same size. The three sides alternate message
 * by message, so drift in the machine falls on all alike.
 *
 * Reach is the share of clients that got every comment sent since they
 * joined, within the delivery timeout and once each; it should be 100% and
 * the table says so loudly when it is not (never asserted).
 */
import { performance } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { type Deployment, startDeployment } from "./app-processes.ts";
import {
  Audience,
  broadcast,
  commentBody,
  DELIVERY_TIMEOUT_MS,
  type Delivery,
  HANDSHAKE_TIMEOUT_MS,
  percentText,
  postComment,
  summarizeDeliveries,
  withTimeout,
} from "./audience.ts";
import { benchWorkspace, type BenchWorkspace } from "./fixtures.ts";
import { createScratchDatabase, postgresFacts } from "./postgres.ts";
import { benchRedisPrefix } from "./redis.ts";
import { startBareSocketServer, stopAll } from "./servers.ts";
import { percentile } from "./stats.ts";
import type { TableGroup } from "./table.ts";

export interface FanoutProcessesPlan {
  /** Live clients per side (split evenly over the processes of a deployment). */
  clients: number;
  /** Comments (and as many bare broadcasts) measured per side. */
  comments: number;
  /** Thrown away per side before measuring. */
  warmup: number;
  /** Members whose tokens the clients share. */
  members: number;
}

export const FANOUT_PROCESSES_PLAN: FanoutProcessesPlan = { clients: 1000, comments: 30, warmup: 3, members: 10 };
export const FANOUT_PROCESSES_QUICK_PLAN: FanoutProcessesPlan = { clients: 200, comments: 8, warmup: 2, members: 5 };

interface Side {
  label: string;
  processes: number;
  audience: Audience;
  send(): Promise<Delivery>;
  deliveries: Delivery[];
  joinMs: number;
  presenceDuringJoin: number;
  /** Read before the clients disconnect. */
  reach: { clients: number; withEverything: number; duplicates: number };
}

/** A deployment's side: its own workspace and study, clients spread over its processes, comments posted to them in turn. */
async function deploymentSide(deployment: Deployment, plan: FanoutProcessesPlan, onFirstEvent: (event: unknown, body: string) => void) {
  const url = deployment.urls[0];
  const ws: BenchWorkspace = await benchWorkspace(url, plan.members - 1);
  const study = await ws.lead.api.post(`/api/v1/workspaces/${ws.workspaceId}/studies`, { title: "Fan-out study" });
  if (study.status !== 201) throw new Error(`study: ${study.status} ${JSON.stringify(study.body)}`);
  const studyId: string = study.body.id;
  const audience = new Audience(deployment.urls, async (socket: Socket) => {
    const ack = await withTimeout(
      socket.emitWithAck("workspace:join", { workspaceId: ws.workspaceId }),
      HANDSHAKE_TIMEOUT_MS,
      "workspace:join",
    );
    if (!ack?.ok) throw new Error(`workspace:join refused: ${JSON.stringify(ack)}`);
  });
  const n = deployment.processes.length;
  let sequence = 0;
  const side: Side = {
    label: n === 1 ? "comment, 1 app process" : `comment, ${n} app processes (posted to each in turn)`,
    processes: n,
    audience,
    deliveries: [],
    joinMs: 0,
    presenceDuringJoin: 0,
    reach: { clients: 0, withEverything: 0, duplicates: 0 },
    async send() {
      const i = sequence++;
      const body = commentBody(`p${n}`, i);
      const target = deployment.urls[i % n];
      const delivery = await audience.deliver(body, () => postComment(target, ws, studyId, body));
      if (delivery.sample) onFirstEvent(delivery.sample, body);
      return delivery;
    },
  };
  return { side, tokens: [ws.lead, ...ws.members].map((m) => m.token) };
}

export async function fanoutProcessesBench(plan: FanoutProcessesPlan, log: (line: string) => void): Promise<TableGroup> {
  const database = await createScratchDatabase(log);
  const single = await startDeployment(database, { label: "fan1", count: 1, redisPrefix: benchRedisPrefix("fan1") });
  const pair = await startDeployment(database, { label: "fan2", count: 2, redisPrefix: benchRedisPrefix("fan2") });
  const bare = await startBareSocketServer();
  log(
    `fan-out across processes: database ${database.name}; 1 process at ${single.urls[0]}; ` +
      `2 processes at ${pair.urls.join(" and ")}; bare Socket.IO server at ${bare.url}`,
  );
  const facts = await postgresFacts();

  // The bare server broadcasts the real event with only the comment text swapped (same length): the same payload size.
  let template: { text: string; body: string } | null = null;
  const keepTemplate = (event: unknown, body: string) => {
    template ??= { text: JSON.stringify(event), body };
  };
  const one = await deploymentSide(single, plan, keepTemplate);
  const two = await deploymentSide(pair, plan, keepTemplate);
  const bareAudience = new Audience([bare.url]);
  let bareSequence = 0;
  const bareSide: Side = {
    label: "bare Socket.IO broadcast [baseline]",
    processes: 1,
    audience: bareAudience,
    deliveries: [],
    joinMs: 0,
    presenceDuringJoin: 0,
    reach: { clients: 0, withEverything: 0, duplicates: 0 },
    async send() {
      if (!template) throw new Error("no comment event seen yet to copy the payload size from");
      const body = commentBody("bb", bareSequence++);
      const payload = template.text.split(template.body).join(body);
      return bareAudience.deliver(body, () => broadcast(bare.url, payload));
    },
  };
  const sides: Side[] = [bareSide, one.side, two.side];

  try {
    const joining: [Side, string[]][] = [
      [one.side, one.tokens],
      [two.side, two.tokens],
      [bareSide, []],
    ];
    for (const [side, tokens] of joining) {
      const presenceBefore = side.audience.presenceMessages;
      const t0 = performance.now();
      await side.audience.growTo(plan.clients, tokens);
      side.joinMs = performance.now() - t0;
      await side.audience.settle();
      side.presenceDuringJoin = side.audience.presenceMessages - presenceBefore;
      log(
        `fan-out across processes: ${side.audience.size} clients of "${side.label}" joined in ${side.joinMs.toFixed(0)} ms ` +
          `(${side.presenceDuringJoin} presence messages received meanwhile)`,
      );
    }
    // The app sides first: the bare side copies their payload.
    for (const side of [one.side, two.side, bareSide]) for (let i = 0; i < plan.warmup; i++) await side.send();
    for (let i = 0; i < plan.comments; i++) {
      for (const side of sides) side.deliveries.push(await side.send());
    }
    for (const side of sides) {
      const { audience } = side;
      side.reach = { clients: audience.size, withEverything: audience.clientsWithEverything(), duplicates: audience.duplicates };
    }
  } finally {
    for (const side of sides) side.audience.close();
    await stopAll();
  }
  return fanoutProcessesTable(sides, plan, facts, template ? Buffer.byteLength((template as { text: string }).text) : NaN);
}

function fanoutProcessesTable(sides: Side[], plan: FanoutProcessesPlan, facts: string, payloadBytes: number): TableGroup {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-");
  const x = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : "-");
  const bare = summarizeDeliveries(sides[0].deliveries);
  const body: string[][] = [];
  const shortfalls: string[] = [];
  for (const side of sides) {
    const s = summarizeDeliveries(side.deliveries);
    const { clients, withEverything, duplicates } = side.reach;
    const reach = withEverything / clients;
    if (reach !== 1 || duplicates > 0) {
      shortfalls.push(
        `${side.label}: ${clients - withEverything} of ${clients} clients missed at least one message, ` +
          `${percentText(s.ratio)} of deliveries arrived, ${duplicates} duplicate(s)`,
      );
    }
    body.push([
      side.label,
      String(side.processes),
      String(clients),
      String(s.n),
      reach === 1 ? "100%" : `${percentText(reach)} NOT 100%`,
      f(percentile(s.first, 50)),
      f(s.lastP50),
      f(s.lastP99),
      f(s.last.at(-1) ?? NaN),
      f(percentile(s.answer, 50)),
      side === sides[0] ? "1.00x" : x(s.lastP50 / bare.lastP50),
      side === sides[0] ? "1.00x" : x(s.lastP99 / bare.lastP99),
    ]);
  }
  const [, one, two] = sides.map((side) => summarizeDeliveries(side.deliveries));
  return {
    title: `Live channel across processes: comment fan-out to ${plan.clients} clients, 1 app process vs 2 (PostgreSQL + Redis)`,
    note:
      'times in ms from sending the HTTP request; "last" = until EVERY client had the event, "first" = the first client; ' +
      "reach = share of clients that got every message, once, within the timeout; " +
      "baseline: a bare Socket.IO server (one process, no auth/db/presence) broadcasting the same payload to the same number of clients; " +
      "the three sides alternate message by message; with ~30 messages p99 is the slowest one; only fully delivered messages count in the percentiles",
    header: [
      "scenario",
      "processes",
      "clients",
      "n",
      "reach",
      "first p50",
      "last p50",
      "last p99",
      "last max",
      "HTTP answer p50",
      "p50 vs bare",
      "p99 vs bare",
    ],
    body,
    footer: [
      shortfalls.length
        ? `REACH NOT 100%: ${shortfalls.join("; ")} (timeout ${DELIVERY_TIMEOUT_MS / 1000} s)`
        : `reach: every client got every message exactly once (timeout ${DELIVERY_TIMEOUT_MS / 1000} s)`,
      `2 processes / 1 process: last p50 ${x(two.lastP50 / one.lastP50)}, last p99 ${x(two.lastP99 / one.lastP99)}`,
      `clients per process: ${sides[2].reach.clients / sides[2].processes} with 2 processes; ${plan.members} members share the clients; payload ${payloadBytes} bytes; ` +
        `joining took ${sides
          .slice(1)
          .map(
            (s) =>
              `${s.joinMs.toFixed(0)} ms (${s.presenceDuringJoin} presence messages) with ${s.processes} process${s.processes > 1 ? "es" : ""}`,
          )
          .join(", ")}`,
      `both deployments on one scratch database: ${facts}; Redis adapter on the local Redis, one prefix per deployment`,
    ],
  };
}
