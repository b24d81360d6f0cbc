/**
 * Keeps a Yjs document in step with a protocol's live draft over the live
 * channel (`doc:*` messages, docs/api.md): the browser's editor uses it, and
 * so do the tests and benchmarks, so they exercise the client people use.
 *
 * Local edits are sent one batch at a time and counted as saved only when the
 * server acknowledges them (it answers once they are stored). Offline, edits
 * pile up in the document; on reconnect the provider joins again and sends
 * exactly what the server's state lacks, so nothing typed offline is lost.
 */
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import * as Y from "yjs";
import { decodeUpdate, encodeUpdate } from "#app/domain/live-document.ts";
import type { DocumentJoinAnswer, LiveAnswer, LiveError, ServerToClientEvents } from "./live-channel.ts";
import type { LiveSocket } from "./socket.ts";

/** The socket.io-client socket of the live channel, in a browser or in Node. */
type ChannelSocket = LiveSocket;

export type DocumentStatus = "connecting" | "synced" | "offline" | "closed";

export interface DocumentState {
  status: DocumentStatus;
  /** False for observers, and once the server has refused an edit. */
  canEdit: boolean;
  /** Local edits the server has not yet acknowledged. */
  unsaved: boolean;
  /** Why the document closed or an edit was refused, in words for the person. */
  problem: string | null;
}

/** Updates applied from the server carry this origin, so they are not sent back. */
const FROM_SERVER = Symbol("from the server");
/** An empty Yjs update (no structs, no deletions) is two zero bytes. */
const isEmptyUpdate = (update: Uint8Array) => update.length <= 2;
const RETRY_MS = 1000;

export class DocumentProvider {
  readonly awareness: Awareness;
  private state: DocumentState = { status: "connecting", canEdit: false, unsaved: false, problem: null };
  private listeners = new Set<(state: DocumentState) => void>();
  private queued: Uint8Array[] = [];
  private inFlight = false;
  /** Counts joins: an answer to a message sent over an earlier connection is stale (the rejoin resent its content). */
  private epoch = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly socket: ChannelSocket,
    readonly target: { workspaceId: string; protocolId: string },
    readonly doc: Y.Doc = new Y.Doc(),
  ) {
    this.awareness = new Awareness(doc);
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === FROM_SERVER) return;
      this.queued.push(update);
      this.set({ unsaved: true });
      this.flush();
    };
    doc.on("update", onUpdate);
    this.unsubscribe.push(() => doc.off("update", onUpdate));

    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin !== "local" || this.state.status !== "synced") return;
      this.sendAwareness([...added, ...updated, ...removed]);
    };
    this.awareness.on("update", onAwareness);
    this.unsubscribe.push(() => this.awareness.off("update", onAwareness));

    this.listen("doc:update", (message) => {
      if (message.protocolId === target.protocolId) Y.applyUpdate(doc, decodeUpdate(message.update), FROM_SERVER);
    });
    this.listen("doc:awareness", (message) => {
      if (message.protocolId !== target.protocolId) return;
      const before = new Set(this.awareness.getStates().keys());
      applyAwarenessUpdate(this.awareness, decodeUpdate(message.update), FROM_SERVER);
      // Someone new: they need to learn about this client too (awareness is never stored on the server).
      const newcomer = [...this.awareness.getStates().keys()].some((id) => !before.has(id));
      if (newcomer && this.awareness.getLocalState() !== null) this.sendAwareness([doc.clientID]);
    });
    this.listen("doc:closed", (message) => {
      if (message.protocolId === target.protocolId) this.close(message.reason);
    });
    this.listen("connect", () => void this.join());
    this.listen("disconnect", () => {
      if (this.state.status === "closed") return;
      this.inFlight = false;
      removeAwarenessStates(
        this.awareness,
        [...this.awareness.getStates().keys()].filter((id) => id !== doc.clientID),
        FROM_SERVER,
      );
      this.set({ status: "offline" });
    });
    if (socket.connected) void this.join();
  }

  get current(): DocumentState {
    return this.state;
  }

  /** Called with the state now and after every change. */
  subscribe(listener: (state: DocumentState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the document holds the server's state (or the document has closed). */
  whenSynced(): Promise<DocumentState> {
    return this.waitFor((s) => s.status === "synced" || s.status === "closed");
  }

  /** Resolves once every local edit is stored on the server. */
  whenSaved(): Promise<DocumentState> {
    return this.waitFor((s) => (s.status === "synced" && !s.unsaved) || s.status === "closed");
  }

  /** Leaves the document; the provider is done. */
  destroy(): void {
    if (this.state.status !== "closed" && this.socket.connected) {
      this.socket.emit("doc:leave", { protocolId: this.target.protocolId });
    }
    this.close(null);
  }

  private close(problem: string | null) {
    if (this.retry) clearTimeout(this.retry);
    for (const off of this.unsubscribe.splice(0)) off();
    this.awareness.destroy();
    this.set({ status: "closed", canEdit: false, problem });
  }

  private async join(): Promise<void> {
    this.set({ status: "connecting" });
    this.epoch++;
    const answer = await this.ask<DocumentJoinAnswer>("doc:join", { ...this.target });
    if (this.state.status === "closed") return;
    if (!answer.ok) return this.close(answer.error.message);
    const server = decodeUpdate(answer.update);
    Y.applyUpdate(this.doc, server, FROM_SERVER);
    // Whatever was typed here and never acknowledged (offline, or lost with the connection) is exactly what the server lacks.
    const missing = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVectorFromUpdate(server));
    this.queued = isEmptyUpdate(missing) ? [] : [missing];
    this.inFlight = false;
    this.set({ status: "synced", canEdit: answer.canEdit, unsaved: this.queued.length > 0 });
    if (this.awareness.getLocalState() !== null) this.sendAwareness([this.doc.clientID]);
    this.flush();
  }

  private flush(): void {
    if (this.inFlight || this.queued.length === 0 || this.state.status !== "synced" || !this.socket.connected) return;
    const update = this.queued.length === 1 ? this.queued[0] : Y.mergeUpdates(this.queued);
    this.queued = [];
    this.inFlight = true;
    const epoch = this.epoch;
    void this.ask<LiveAnswer>("doc:update", { protocolId: this.target.protocolId, update: encodeUpdate(update) }).then((answer) => {
      if (epoch !== this.epoch || this.state.status === "closed") return; // the rejoin has sent what the server lacked
      this.inFlight = false;
      if (answer.ok) {
        this.set({ unsaved: this.queued.length > 0 });
        return this.flush();
      }
      this.refused(update, answer.error);
    });
  }

  private refused(update: Uint8Array, error: LiveError) {
    if (error.code === "forbidden" || error.code === "unprocessable" || error.code === "validation_failed") {
      // The server will never take it: stop editing rather than pretend it is saved.
      this.set({ canEdit: false, unsaved: false, problem: error.message });
      return;
    }
    // Busy or rate-limited: keep the edit and try again shortly.
    this.queued.unshift(update);
    this.retry ??= setTimeout(() => {
      this.retry = null;
      this.flush();
    }, RETRY_MS);
  }

  private sendAwareness(clients: number[]) {
    if (!this.socket.connected) return;
    this.socket.emit("doc:awareness", {
      protocolId: this.target.protocolId,
      update: encodeUpdate(encodeAwarenessUpdate(this.awareness, clients)),
    });
  }

  private ask<A>(event: "doc:join" | "doc:update", message: unknown): Promise<A> {
    return new Promise((resolve) => {
      (this.socket.emit as (e: string, m: unknown, ack: (a: A) => void) => void)(event, message, resolve);
    });
  }

  private listen<E extends keyof ServerToClientEvents | "connect" | "disconnect">(
    event: E,
    listener: E extends keyof ServerToClientEvents ? ServerToClientEvents[E] : () => void,
  ) {
    (this.socket.on as (e: string, l: unknown) => void)(event, listener);
    this.unsubscribe.push(() => (this.socket.off as (e: string, l: unknown) => void)(event, listener));
  }

  private set(change: Partial<DocumentState>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener(this.state);
  }

  private waitFor(done: (s: DocumentState) => boolean): Promise<DocumentState> {
    return new Promise((resolve) => {
      if (done(this.state)) return resolve(this.state);
      const off = this.subscribe((s) => {
        if (!done(s)) return;
        queueMicrotask(() => off());
        resolve(s);
      });
    });
  }
}
