/**
 * Live documents (a protocol's live draft, Yjs over the live channel):
 *
 * (a) Round trip of an edit: 20 editors (the app's DocumentProvider) and 200
 *     viewers in one document; an editor types a unique word and the time is
 *     taken from the local edit until each other socket has the update that
 *     carries it. Beside it, in the same run with as many sockets, a bare
 *     Socket.IO relay (bare-socket-server.ts: no auth, no database) passing on
 *     the same bytes (a Yjs update of the same shape, base64). Edits of the two
 *     sides alternate, so drift in the machine falls on both alike.
 * (b) Size and load time of a draft after 10,000 updates: stored bytes
 *     (snapshot + appended updates) and the `doc:join` round trip, first on a
 *     server that never compacts (DRAFT_COMPACTION_UPDATES=0), then after a
 *     second server on the same database, with a threshold of 1, has folded
 *     them into the snapshot on the next update.
 *
 * Bounded in count and time; 127.0.0.1 only; every server is stopped by run.ts.
 */
import { performance } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import * as Y from "yjs";
import { encodeUpdate, liveText } from "#app/domain/live-document.ts";
import { TestDatabase } from "../support/database.ts";
import { type Editor, openEditor } from "../support/live-document.ts";
import { handshake, openSocket } from "../support/socket.ts";
import { DELIVERY_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS, withTimeout } from "./audience.ts";
import { benchWorkspace } from "./fixtures.ts";
import { releaseAfterServers, startBareSocketServer, startBenchServer } from "./servers.ts";
import { percentile } from "./stats.ts";
import type { TableGroup } from "./table.ts";

export interface LiveDocumentsPlan {
  editors: number;
  viewers: number;
  /** Measured edits per side (app and bare), after `warmup` thrown away per side. */
  edits: number;
  warmup: number;
  /** Updates stored before the size and load time are measured. */
  updates: number;
  /** `doc:join` round trips measured after compaction, and before it (each then takes seconds). */
  joins: number;
  joinsBefore: number;
}

export const LIVE_DOCUMENTS_PLAN: LiveDocumentsPlan = {
  editors: 20,
  viewers: 200,
  edits: 100,
  warmup: 10,
  updates: 10_000,
  joins: 30,
  joinsBefore: 5,
};
export const LIVE_DOCUMENTS_QUICK_PLAN: LiveDocumentsPlan = {
  editors: 5,
  viewers: 40,
  edits: 20,
  warmup: 3,
  updates: 1_000,
  joins: 10,
  joinsBefore: 5,
};

const VIEWER_TOKENS = 10;
const CONNECT_BATCH = 25;
/** Updates in flight at once while the draft is filled (one socket; each is acknowledged once stored). */
const FILL_PIPELINE = 8;
/** The fill would take minutes if it dragged on; it stops there and says so. */
const FILL_BUDGET_MS = 180_000;

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
const kib = (bytes: number) => (bytes < 10_240 ? `${Math.round(bytes).toLocaleString("en")} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/** Sockets of one side that all listen for `doc:update` and note when the one awaited word reaches each. */
class Recipients {
  readonly sockets: Socket[] = [];
  private awaited: { bytes: Buffer; t0: number; sender: number; got: Set<number>; times: number[]; done: () => void } | null = null;

  add(socket: Socket) {
    const index = this.sockets.push(socket) - 1;
    socket.on("doc:update", (message: { update: string }) => {
      const a = this.awaited;
      if (!a || index === a.sender || a.got.has(index)) return;
      if (!Buffer.from(message.update, "base64").includes(a.bytes)) return;
      a.got.add(index);
      a.times.push(performance.now() - a.t0);
      if (a.got.size === this.sockets.length - 1) a.done();
    });
  }

  /** Runs `edit` (which makes sender's word leave) and answers each other socket's arrival time, in ms, and how many missed it. */
  async deliver(word: string, sender: number, edit: () => void): Promise<{ times: number[]; missed: number }> {
    const expected = this.sockets.length - 1;
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => (done = resolve));
    const times: number[] = [];
    this.awaited = { bytes: Buffer.from(word), t0: performance.now(), sender, got: new Set(), times, done };
    edit();
    const timer = setTimeout(done, DELIVERY_TIMEOUT_MS);
    await all;
    clearTimeout(timer);
    this.awaited = null;
    return { times, missed: expected - times.length };
  }

  close() {
    for (const s of this.sockets) s.disconnect();
  }
}

async function connected(url: string, token?: string): Promise<Socket> {
  const socket = openSocket(url, token ? { auth: { token } } : {});
  const outcome = await withTimeout(handshake(socket), HANDSHAKE_TIMEOUT_MS, "connect");
  if (!outcome.connected) throw new Error(`live channel refused the connection: ${outcome.error.message}`);
  return socket;
}

async function inBatches<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, count - i) }, (_, j) => make(i + j)))));
  }
  return made;
}

function summaryCells(label: string, times: number[], deliveries: number, missed: number, baselineP50?: number): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  return [
    label,
    String(deliveries),
    String(missed),
    ms(p50),
    ms(percentile(sorted, 99)),
    baselineP50 === undefined ? "1.00x" : `${(p50 / baselineP50).toFixed(2)}x`,
  ];
}

/** (a) The round trip of an edit through the app and through the bare relay. */
async function roundTrip(plan: LiveDocumentsPlan, log: (line: string) => void): Promise<TableGroup> {
  const [app, bare] = await Promise.all([startBenchServer(), startBareSocketServer()]);
  log(`live documents: app server at ${app.url}, bare Socket.IO server at ${bare.url}`);
  const ws = await benchWorkspace(app.url, VIEWER_TOKENS);
  const created = await ws.lead.api.post(`/api/v1/workspaces/${ws.workspaceId}/protocols`, {
    title: "Bench protocol",
    body: "Draw blood at 8 am, fasting.\n",
  });
  if (created.status !== 201) throw new Error(`protocol: ${created.status} ${JSON.stringify(created.body)}`);
  const target = { workspaceId: ws.workspaceId, protocolId: created.body.id as string };

  const appSide = new Recipients();
  const bareSide = new Recipients();
  const editors: Editor[] = [];
  const bareDocs: Y.Doc[] = [];
  try {
    const t0 = performance.now();
    for (const editor of await inBatches(plan.editors, () => openEditor(app.url, ws.lead.token, target))) {
      editors.push(editor);
      appSide.add(editor.socket);
    }
    const viewers = await inBatches(plan.viewers, async (i) => {
      const socket = await connected(app.url, ws.members[i % ws.members.length].token);
      const answer = await withTimeout(socket.emitWithAck("doc:join", target), HANDSHAKE_TIMEOUT_MS, "doc:join");
      if (!answer?.ok) throw new Error(`doc:join refused: ${JSON.stringify(answer)}`);
      return socket;
    });
    for (const viewer of viewers) appSide.add(viewer);
    log(`live documents: ${plan.editors} editors and ${plan.viewers} viewers in one document in ${(performance.now() - t0).toFixed(0)} ms`);
    for (const socket of await inBatches(plan.editors + plan.viewers, () => connected(bare.url))) bareSide.add(socket);
    // Each bare editor types into a document of its own, started from the same text: its updates have the app's shape.
    for (let i = 0; i < plan.editors; i++) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(editors[i].provider.doc));
      bareDocs.push(doc);
    }

    let sequence = 0;
    const appEdit = async (e: number) => {
      const word = ` w${sequence++}x`;
      const editor = editors[e];
      const result = await appSide.deliver(word, e, () => editor.insert(editor.text.indexOf(",") + 1 || 0, word));
      await editor.provider.whenSaved();
      return result;
    };
    const bareEdit = async (e: number) => {
      const word = ` w${sequence++}x`;
      const doc = bareDocs[e];
      const socket = bareSide.sockets[e];
      return bareSide.deliver(word, e, () => {
        let update: Uint8Array | null = null;
        const take = (u: Uint8Array) => (update = u);
        doc.on("update", take);
        liveText(doc).insert(liveText(doc).toString().indexOf(",") + 1 || 0, word);
        doc.off("update", take);
        socket.emit("doc:update", { protocolId: target.protocolId, update: encodeUpdate(update!) });
      });
    };

    for (let i = 0; i < plan.warmup; i++) {
      await appEdit(i % plan.editors);
      await bareEdit(i % plan.editors);
    }
    const appTimes: number[] = [];
    const bareTimes: number[] = [];
    const appLast: number[] = [];
    const bareLast: number[] = [];
    let appMissed = 0;
    let bareMissed = 0;
    for (let i = 0; i < plan.edits; i++) {
      const a = await appEdit(i % plan.editors);
      appTimes.push(...a.times);
      appLast.push(a.times.length ? Math.max(...a.times) : Number.NaN);
      appMissed += a.missed;
      const b = await bareEdit(i % plan.editors);
      bareTimes.push(...b.times);
      bareLast.push(b.times.length ? Math.max(...b.times) : Number.NaN);
      bareMissed += b.missed;
    }
    const recipients = plan.editors + plan.viewers - 1;
    const bareP50 = percentile(
      [...bareTimes].sort((x, y) => x - y),
      50,
    );
    const bareLastP50 = percentile(
      [...bareLast].sort((x, y) => x - y),
      50,
    );
    return {
      title: `Live documents: an edit's round trip, ${plan.editors} editors + ${plan.viewers} viewers in one document`,
      note:
        `local edit → the update with it arrives at each of the ${recipients} other sockets; ${plan.edits} edits per side ` +
        `(${plan.warmup} thrown away), app and bare alternating; "vs bare" divides p50 by the bare relay's [baseline]`,
      header: ["scenario", "deliveries", "missed", "p50 ms", "p99 ms", "vs bare"],
      body: [
        summaryCells("bare Socket.IO relay, each socket [baseline]", bareTimes, bareTimes.length, bareMissed),
        summaryCells("app (stored, then relayed), each socket", appTimes, appTimes.length, appMissed, bareP50),
        summaryCells("bare Socket.IO relay, last socket", bareLast, bareLast.length, 0),
        summaryCells("app, last socket", appLast, appLast.length, 0, bareLastP50),
      ],
      footer: [
        "the app's edit goes through the editor's DocumentProvider, is stored (one transaction, SQLite synchronous=FULL), then relayed;",
        "the bare relay passes on a Yjs update of the same shape without auth, checks or storage",
      ],
    };
  } finally {
    for (const editor of editors) editor.close();
    appSide.close();
    bareSide.close();
  }
}

interface Stored {
  snapshotBytes: number;
  updates: number;
  updateBytes: number;
}

async function storedSize(database: TestDatabase, protocolId: string): Promise<Stored> {
  const [draft] = await database.query<{ bytes: number }>("SELECT length(snapshot) AS bytes FROM protocol_drafts WHERE protocol_id = ?", [
    protocolId,
  ]);
  const [updates] = await database.query<{ n: number; bytes: number | null }>(
    'SELECT count(*) AS n, sum(length("update")) AS bytes FROM protocol_draft_updates WHERE protocol_id = ?',
    [protocolId],
  );
  return { snapshotBytes: draft?.bytes ?? 0, updates: updates.n, updateBytes: updates.bytes ?? 0 };
}

/** A join of a long uncompacted draft takes seconds; this only stops a run that hangs. */
const JOIN_TIMEOUT_MS = 120_000;

/** `doc:join` round trips on a connected socket (each followed by `doc:leave`) after one to warm up, in ms, and the answer's length. */
async function joinTimes(url: string, token: string, target: { workspaceId: string; protocolId: string }, count: number) {
  const socket = await connected(url, token);
  const times: number[] = [];
  let answerChars = 0;
  try {
    for (let i = 0; i < count + 1; i++) {
      const t0 = performance.now();
      const answer = await withTimeout(socket.emitWithAck("doc:join", target), JOIN_TIMEOUT_MS, "doc:join");
      const elapsed = performance.now() - t0;
      if (!answer?.ok) throw new Error(`doc:join refused: ${JSON.stringify(answer)}`);
      answerChars = answer.update.length;
      if (i >= 1) times.push(elapsed); // the first warms the server up
      await socket.emitWithAck("doc:leave", { protocolId: target.protocolId });
    }
  } finally {
    socket.disconnect();
  }
  return { times: times.sort((a, b) => a - b), answerChars };
}

/** (b) Size and load time of a draft after many updates, before and after compaction. */
async function sizeAndLoad(plan: LiveDocumentsPlan, log: (line: string) => void): Promise<TableGroup> {
  const database = await TestDatabase.fresh();
  releaseAfterServers(() => database.dispose());
  // A budget far above the default: the fill is one socket sending as fast as the server stores.
  const never = await startBenchServer({ DRAFT_COMPACTION_UPDATES: "0", DOCUMENT_MESSAGES_PER_10S: "1000000" }, 3, { database });
  const ws = await benchWorkspace(never.url, 0);
  const created = await ws.lead.api.post(`/api/v1/workspaces/${ws.workspaceId}/protocols`, { title: "Long-edited protocol", body: "" });
  if (created.status !== 201) throw new Error(`protocol: ${created.status} ${JSON.stringify(created.body)}`);
  const target = { workspaceId: ws.workspaceId, protocolId: created.body.id as string };

  // The updates of someone typing: a character at a time, every tenth update taking one back (the deleted text compaction collects).
  const writer = await connected(never.url, ws.lead.token);
  const joined = await writer.emitWithAck("doc:join", target);
  if (!joined?.ok) throw new Error(`doc:join refused: ${JSON.stringify(joined)}`);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(joined.update, "base64"));
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const text = liveText(doc);
  for (let i = 0; updates.length < plan.updates; i++) {
    if (i % 10 === 9 && text.length > 0) text.delete(text.length - 1, 1);
    else text.insert(text.length, "abcdefghij klmnopqrstuvwxyz.\n"[i % 29]);
  }
  const t0 = performance.now();
  let next = 0;
  let refused = 0;
  const lane = async () => {
    while (next < updates.length && performance.now() - t0 < FILL_BUDGET_MS) {
      const update = updates[next++];
      const answer = await withTimeout(
        writer.emitWithAck("doc:update", { protocolId: target.protocolId, update: encodeUpdate(update) }),
        DELIVERY_TIMEOUT_MS,
        "doc:update",
      );
      if (!answer?.ok) refused++;
    }
  };
  await Promise.all(Array.from({ length: FILL_PIPELINE }, lane));
  const fillMs = performance.now() - t0;
  writer.disconnect();
  if (refused) throw new Error(`${refused} updates were refused while filling the draft`);
  log(
    `live documents: ${next} updates stored in ${(fillMs / 1000).toFixed(1)} s (${((next * 1000) / fillMs).toFixed(0)}/s, ${FILL_PIPELINE} in flight)`,
  );

  const before = await storedSize(database, target.protocolId);
  const joinsBefore = await joinTimes(never.url, ws.lead.token, target, plan.joinsBefore);
  await never.stop();

  // The same database on a server that compacts after every update: the next update folds all of them in.
  const compacting = await startBenchServer({ DRAFT_COMPACTION_UPDATES: "1" }, 3, { database });
  const last = await connected(compacting.url, ws.lead.token);
  await last.emitWithAck("doc:join", target);
  let lastUpdate: Uint8Array | null = null;
  doc.on("update", (u: Uint8Array) => (lastUpdate = u));
  text.insert(text.length, "!");
  const c0 = performance.now();
  await last.emitWithAck("doc:update", { protocolId: target.protocolId, update: encodeUpdate(lastUpdate!) });
  let after = await storedSize(database, target.protocolId);
  while (after.updates > 0 && performance.now() - c0 < DELIVERY_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    after = await storedSize(database, target.protocolId);
  }
  const compactMs = performance.now() - c0;
  last.disconnect();
  const joinsAfter = await joinTimes(compacting.url, ws.lead.token, target, plan.joins);
  if (after.updates > 0) throw new Error(`compaction did not happen: ${after.updates} updates still stored`);

  const total = (s: Stored) => s.snapshotBytes + s.updateBytes;
  const row = (label: string, s: Stored, j: { times: number[]; answerChars: number }, base?: { times: number[] }) => [
    label,
    String(s.updates),
    kib(s.snapshotBytes),
    kib(s.updateBytes),
    kib(total(s)),
    kib((j.answerChars * 3) / 4),
    ms(percentile(j.times, 50)),
    ms(percentile(j.times, 99)),
    base ? `${(percentile(j.times, 50) / percentile(base.times, 50)).toFixed(2)}x` : "1.00x",
  ];
  return {
    title: `Live documents: a draft after ${next.toLocaleString("en")} updates, before and after compaction`,
    note:
      `stored bytes (snapshot + appended update rows, SQLite) and the doc:join round trip (${plan.joinsBefore} joins before, ${plan.joins} after, on a connected socket); ` +
      `"vs before" divides the join p50 by the uncompacted draft's [baseline]`,
    header: ["draft", "update rows", "snapshot", "updates", "stored", "join answer", "join p50 ms", "join p99 ms", "vs before"],
    body: [
      row("not compacted (DRAFT_COMPACTION_UPDATES=0) [baseline]", before, joinsBefore),
      row("compacted into the snapshot", after, joinsAfter, joinsBefore),
    ],
    footer: [
      `text ${text.length.toLocaleString("en")} characters; every tenth update deletes a character;` +
        ` compaction (read, merge, write the snapshot, delete the rows) done ${compactMs.toFixed(0)} ms after the update that triggered it (polled every 20 ms)`,
      "a join reads the snapshot and every update row and merges them into one update (Y.mergeUpdates) before answering;",
      `filling took ${(fillMs / 1000).toFixed(1)} s: ${((next * 1000) / fillMs).toFixed(0)} stored updates/s with ${FILL_PIPELINE} in flight on one socket`,
    ],
  };
}

export async function liveDocumentsBench(plan: LiveDocumentsPlan, log: (line: string) => void): Promise<TableGroup[]> {
  const trip = await roundTrip(plan, log);
  const size = await sizeAndLoad(plan, log);
  return [trip, size];
}
