/**
 * Comment fan-out: N live clients joined to ONE workspace of the real server
 * (the built app, tests/support/server.ts), a comment posted through the real
 * HTTP path (POST …/comments), and the time from sending the POST until the
 * LAST client has the `comment.created` event. Beside it, in the same run and
 * against the same number of clients: a bare Socket.IO server
 * (bare-socket-server.ts, no auth, no database, one room) broadcasting a
 * payload of the same size, triggered by an HTTP request, measured the same
 * way. Comments and bare broadcasts alternate, so drift in the machine falls
 * on both alike. All clients live in this process (WebSocket transport only),
 * so client-side parsing counts on both sides equally.
 *
 *   node --import tsx tests/bench/fanout.ts [--quick]
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
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
import { benchWorkspace } from "./fixtures.ts";
import { killAllSync, startBareSocketServer, startBenchServer, stopAll } from "./servers.ts";
import { percentile } from "./stats.ts";
import type { TableGroup } from "./table.ts";

export interface FanoutPlan {
  /** Client counts, ascending; the same clients stay connected as the count grows. */
  sizes: number[];
  /** Comments (and as many bare broadcasts) measured per size. */
  comments: number;
  /** Thrown away per size and side before measuring. */
  warmup: number;
  /** Members whose tokens the clients share (the presence list is one entry per member). */
  members: number;
}

export const FANOUT_PLAN: FanoutPlan = { sizes: [100, 500, 1000], comments: 30, warmup: 3, members: 10 };
export const FANOUT_QUICK_PLAN: FanoutPlan = { sizes: [50, 200], comments: 8, warmup: 2, members: 5 };

/** The aims, printed beside the figures (never asserted). */
const AIM_P99_VS_BARE = 1.5;
const AIM_P99_MS_AT_1000 = 250;

interface SizeResult {
  size: number;
  app: Delivery[];
  bare: Delivery[];
  joinMs: number;
  presenceDuringJoin: number;
  payloadBytes: number;
}

export async function fanoutBench(plan: FanoutPlan, log: (line: string) => void = (l) => console.error(`  ${l}`)): Promise<TableGroup> {
  const [app, bare] = await Promise.all([startBenchServer(), startBareSocketServer()]);
  log(`fan-out: app server at ${app.url}, bare Socket.IO server at ${bare.url}`);
  const ws = await benchWorkspace(app.url, plan.members - 1);
  const study = await ws.lead.api.post(`/api/v1/workspaces/${ws.workspaceId}/studies`, { title: "Fan-out study" });
  if (study.status !== 201) throw new Error(`study: ${study.status} ${JSON.stringify(study.body)}`);
  const studyId: string = study.body.id;
  const tokens = [ws.lead, ...ws.members].map((m) => m.token);

  const appAudience = new Audience([app.url], async (socket) => {
    const ack = await withTimeout(
      socket.emitWithAck("workspace:join", { workspaceId: ws.workspaceId }),
      HANDSHAKE_TIMEOUT_MS,
      "workspace:join",
    );
    if (!ack?.ok) throw new Error(`workspace:join refused: ${JSON.stringify(ack)}`);
  });
  const bareAudience = new Audience([bare.url]);
  let sequence = 0;
  let template: { text: string; body: string } | null = null;

  const sendApp = async () => {
    const body = commentBody("app", sequence++);
    const delivery = await appAudience.deliver(body, () => postComment(app.url, ws, studyId, body));
    if (!template && delivery.sample) template = { text: JSON.stringify(delivery.sample), body };
    return delivery;
  };
  const sendBare = async () => {
    if (!template) throw new Error("no comment event seen yet to copy the payload size from");
    const body = commentBody("bare", sequence++);
    // The real event with only the comment text swapped (same length): the same payload size.
    const payload = template.text.split(template.body).join(body);
    return bareAudience.deliver(body, () => broadcast(bare.url, payload));
  };

  const results: SizeResult[] = [];
  try {
    for (const size of plan.sizes) {
      const presenceBefore = appAudience.presenceMessages;
      const t0 = performance.now();
      await appAudience.growTo(size, tokens);
      const joinMs = performance.now() - t0;
      await appAudience.settle();
      const presenceDuringJoin = appAudience.presenceMessages - presenceBefore;
      await bareAudience.growTo(size, []);
      log(
        `fan-out: ${size} clients joined the workspace in ${joinMs.toFixed(0)} ms (${presenceDuringJoin} presence messages received meanwhile)`,
      );

      for (let i = 0; i < plan.warmup; i++) await sendApp();
      for (let i = 0; i < plan.warmup; i++) await sendBare();
      const result: SizeResult = { size, app: [], bare: [], joinMs, presenceDuringJoin, payloadBytes: Buffer.byteLength(template!.text) };
      for (let i = 0; i < plan.comments; i++) {
        result.app.push(await sendApp());
        result.bare.push(await sendBare());
      }
      results.push(result);
    }
  } finally {
    appAudience.close();
    bareAudience.close();
    await stopAll();
  }
  return fanoutTable(results, plan);
}

function fanoutTable(results: SizeResult[], plan: FanoutPlan): TableGroup {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-");
  const body: string[][] = [];
  const footer: string[] = [];
  let allReached = true;
  for (const r of results) {
    const bare = summarizeDeliveries(r.bare);
    const app = summarizeDeliveries(r.app);
    allReached &&= app.ratio === 1 && bare.ratio === 1;
    const p99Ratio = percentile(app.last, 99) / percentile(bare.last, 99);
    const p50Ratio = percentile(app.last, 50) / percentile(bare.last, 50);
    const x = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : "-");
    const row = (label: string, s: ReturnType<typeof summarizeDeliveries>, vs50: string, vs99: string) => [
      label,
      String(r.size),
      String(s.n),
      percentText(s.ratio),
      f(percentile(s.first, 50)),
      f(percentile(s.last, 50)),
      f(percentile(s.last, 99)),
      f(s.last.at(-1) ?? NaN),
      f(percentile(s.answer, 50)),
      vs50,
      vs99,
    ];
    body.push(row("bare Socket.IO broadcast [baseline]", bare, "1.00x", "1.00x"));
    body.push(row("comment via POST …/comments", app, x(p50Ratio), x(p99Ratio)));
    const aims = [`p99 ${p99Ratio <= AIM_P99_VS_BARE ? "within" : "NOT within"} ${AIM_P99_VS_BARE}x of bare`];
    if (r.size === 1000) {
      const p99 = percentile(app.last, 99);
      aims.push(`p99 ${f(p99)} ms ${p99 < AIM_P99_MS_AT_1000 ? "under" : "NOT under"} ${AIM_P99_MS_AT_1000} ms`);
    }
    footer.push(
      `${r.size} clients: ${aims.join("; ")}; joining took ${r.joinMs.toFixed(0)} ms with ${r.presenceDuringJoin} presence messages received; payload ${r.payloadBytes} bytes`,
    );
  }
  footer.unshift(
    `reach: ${allReached ? "every message reached every client" : "SOME MESSAGES DID NOT REACH EVERY CLIENT"} (timeout ${DELIVERY_TIMEOUT_MS / 1000} s)`,
  );
  return {
    title: `Live channel: comment fan-out to N clients in one workspace (${plan.members} members share the clients)`,
    note:
      'times in ms from sending the HTTP request; "last" = until EVERY client had the event, "first" = the first client; ' +
      "baseline: a bare Socket.IO server (no auth/db/presence) broadcasting the same payload to the same number of clients, alternating with the comments; " +
      "vs bare = the row's last-client percentile / the baseline's; with ~30 messages p99 is the slowest one; " +
      "only fully delivered messages count in the percentiles",
    header: [
      "scenario",
      "clients",
      "n",
      "reached",
      "first p50",
      "last p50",
      "last p99",
      "last max",
      "HTTP answer p50",
      "p50 vs bare",
      "p99 vs bare",
    ],
    body,
    footer,
  };
}

// ---------------------------------------------------------------------------------------------
// Standalone: node --import tsx tests/bench/fanout.ts [--quick]

const HARD_LIMIT_MS = 5 * 60_000;

async function standalone() {
  const quick = process.argv.includes("--quick");
  const watchdog = setTimeout(() => {
    console.error(`fan-out bench: still running after ${HARD_LIMIT_MS / 1000} s; stopping`);
    void stopAll().finally(() => process.exit(1));
  }, HARD_LIMIT_MS);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  }
  process.once("exit", () => killAllSync());
  const { formatGroup } = await import("./table.ts");
  try {
    const group = await fanoutBench(quick ? FANOUT_QUICK_PLAN : FANOUT_PLAN);
    console.log(`\n${formatGroup(group)}\n`);
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  standalone().then(
    () => process.exit(0),
    async (error) => {
      await stopAll();
      console.error("fan-out bench failed:", error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
