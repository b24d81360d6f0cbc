/**
 * Live clients for the fan-out benches: many Socket.IO clients in this process
 * (WebSocket transport only), spread over one or more servers, all waiting for
 * one message at a time. A message is "delivered" to a client when its
 * `event` with that comment text arrives; the time to the LAST client is what
 * the fan-out tables report. Each client also counts what it got, so a table
 * can say which share of clients got every message, and whether any got one twice.
 */
import { performance } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { handshake, openSocket } from "../support/socket.ts";
import type { BenchWorkspace } from "./fixtures.ts";
import { percentile } from "./stats.ts";

/** A message that has not reached every client by then counts as not delivered to the rest. */
export const DELIVERY_TIMEOUT_MS = 10_000;
export const HANDSHAKE_TIMEOUT_MS = 15_000;
const CONNECT_BATCH = 50;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Delivery {
  /** Clients that had the message within the timeout. */
  reached: number;
  expected: number;
  /** ms from sending the HTTP request until the first / last client had the message. */
  firstMs: number;
  lastMs: number;
  /** ms until the HTTP answer arrived. */
  answerMs: number;
}

interface Client {
  socket: Socket;
  /** Messages sent before this client was connected (it cannot have them). */
  sentBefore: number;
  received: number;
  /** The comment text of the last message this client counted (a second copy is a duplicate). */
  lastBody?: string;
}

/** The clients of one or more servers, all listening for `event`s, and the one message being waited for. */
export class Audience {
  private readonly clients: Client[] = [];
  presenceMessages = 0;
  /** Copies of a message a client had already got. */
  duplicates = 0;
  /** Messages sent through `deliver` so far. */
  private sent = 0;
  private pending: {
    body: string;
    count: number;
    expected: number;
    first: number;
    last: number;
    done: () => void;
    /** The first matching event, as received. */
    sample?: unknown;
  } | null = null;

  constructor(
    /** Client i connects to urls[i % urls.length]: spread evenly over the servers. */
    readonly urls: string[],
    /** Joins the workspace after connecting (the bare server joins every socket to its room by itself). */
    private readonly join?: (socket: Socket) => Promise<void>,
  ) {}

  get size() {
    return this.clients.length;
  }

  async growTo(size: number, tokens: string[]) {
    while (this.clients.length < size) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, size - this.clients.length) }, (_, i) => {
        const index = this.clients.length + i;
        return this.connect(this.urls[index % this.urls.length], tokens[index % tokens.length]);
      });
      this.clients.push(...(await Promise.all(batch)));
    }
  }

  private async connect(url: string, token: string | undefined): Promise<Client> {
    const socket = openSocket(url, { transports: ["websocket"], ...(token ? { auth: { token } } : {}) });
    const client: Client = { socket, sentBefore: this.sent, received: 0 };
    socket.on("event", (event: { payload?: { comment?: { body?: string } } }) => {
      const p = this.pending;
      const body = event?.payload?.comment?.body;
      if (!p || body !== p.body) return;
      if (client.lastBody === body) {
        this.duplicates++;
        return;
      }
      client.lastBody = body;
      client.received++;
      const now = performance.now();
      if (p.count === 0) {
        p.first = now;
        p.sample = event;
      }
      p.count++;
      p.last = now;
      if (p.count === p.expected) p.done();
    });
    socket.on("presence", () => this.presenceMessages++);
    const outcome = await withTimeout(handshake(socket), HANDSHAKE_TIMEOUT_MS, "socket handshake");
    if (!outcome.connected) {
      socket.disconnect();
      throw new Error(`${url} refused a live connection: ${outcome.error.message}`);
    }
    await this.join?.(socket);
    return client;
  }

  /** Waits until no presence message has arrived for `quietMs` (the joins' presence broadcasts are over). */
  async settle(quietMs = 300, limitMs = 60_000) {
    const until = performance.now() + limitMs;
    let seen = -1;
    while (seen !== this.presenceMessages && performance.now() < until) {
      seen = this.presenceMessages;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** Sends the trigger, then waits until every client has the event whose comment body is `body`. */
  async deliver(body: string, trigger: () => Promise<void>): Promise<Delivery & { sample?: unknown }> {
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const current = { body, count: 0, expected: this.clients.length, first: NaN, last: NaN, done, sample: undefined as unknown };
    this.pending = current;
    this.sent++;
    const t0 = performance.now();
    await trigger();
    const answerMs = performance.now() - t0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, DELIVERY_TIMEOUT_MS)))]);
    clearTimeout(timer);
    this.pending = null;
    return {
      reached: current.count,
      expected: current.expected,
      firstMs: current.first - t0,
      lastMs: current.last - t0,
      answerMs,
      sample: current.sample,
    };
  }

  /** How many clients got every message sent since they connected (within the timeout, once each). */
  clientsWithEverything(): number {
    return this.clients.filter((c) => c.received === this.sent - c.sentBefore).length;
  }

  close() {
    for (const client of this.clients.splice(0)) client.socket.disconnect();
  }
}

/** Same length for every index, so every payload of one side has the same size. */
export const commentBody = (side: string, i: number) =>
  `Fan-out check ${side} ${String(i).padStart(5, "0")}: the follow-up visit moves to week twelve in every arm.`;

export async function postComment(url: string, ws: BenchWorkspace, studyId: string, body: string) {
  const response = await fetch(`${url}/api/v1/workspaces/${ws.workspaceId}/comments`, {
    method: "POST",
    headers: { authorization: `Bearer ${ws.lead.token}`, "content-type": "application/json" },
    body: JSON.stringify({ target: { type: "study", id: studyId }, body }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST comment answered ${response.status}: ${text.slice(0, 300)}`);
}

/** Makes the bare Socket.IO server (bare-socket-server.ts) emit `payload` to all its clients. */
export async function broadcast(url: string, payload: string) {
  const response = await fetch(`${url}/broadcast`, { method: "POST", headers: { "content-type": "application/json" }, body: payload });
  await response.arrayBuffer();
  if (response.status !== 204) throw new Error(`bare broadcast answered ${response.status}`);
}

/** The figures of a series of deliveries; only fully delivered messages count in the last-client percentiles. */
export function summarizeDeliveries(deliveries: Delivery[]) {
  const complete = deliveries.filter((d) => d.reached === d.expected);
  const sorted = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b);
  const last = sorted(complete.map((d) => d.lastMs));
  const first = sorted(deliveries.map((d) => d.firstMs));
  const answer = sorted(deliveries.map((d) => d.answerMs));
  const reached = deliveries.reduce((s, d) => s + d.reached, 0);
  const expected = deliveries.reduce((s, d) => s + d.expected, 0);
  return {
    n: deliveries.length,
    /** Share of (message, client) pairs delivered. */
    ratio: reached / expected,
    last,
    first,
    answer,
    lastP50: percentile(last, 50),
    lastP99: percentile(last, 99),
  };
}

/** "100%" only when nothing was missed; otherwise two decimals, so 99.99% never shows as 100%. */
export function percentText(ratio: number): string {
  return ratio === 1 ? "100%" : `${(Math.floor(ratio * 10_000) / 100).toFixed(2)}%`;
}
