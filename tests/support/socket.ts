/**
 * A small client for the live channel (Socket.IO), as the browser or a script
 * would use it: connect, join a workspace, collect `event`s and `presence`.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";

export interface LiveEvent {
  id: string;
  workspaceId: string | null;
  type: string;
  actor: { id: string; name: string };
  target: { type: string; id: string };
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface PresenceMessage {
  workspaceId: string;
  members: { userId: string; name: string; resource: string | null }[];
}

export type Ack = { ok: true } | { ok: false; error: { code: string; message: string } };

type Options = Partial<ManagerOptions & SocketOptions>;

/** A socket that does not reconnect on its own, over WebSocket unless told otherwise. */
export function openSocket(baseUrl: string, options: Options = {}): Socket {
  return io(baseUrl, { transports: ["websocket"], reconnection: false, forceNew: true, ...options });
}

/** Resolves once the handshake ends: connected, or refused with the server's reason. */
export function handshake(socket: Socket): Promise<{ connected: true } | { connected: false; error: Error }> {
  return new Promise((resolve) => {
    if (socket.connected) return resolve({ connected: true });
    socket.once("connect", () => resolve({ connected: true }));
    socket.once("connect_error", (error) => resolve({ connected: false, error }));
  });
}

class Waiters<T> {
  readonly seen: T[] = [];
  private waiting: { predicate: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T) {
    this.seen.push(item);
    this.waiting = this.waiting.filter((w) => {
      if (!w.predicate(item)) return true;
      w.resolve(item);
      return false;
    });
  }

  /** The first item (already seen, or still to come) that matches. */
  waitFor(predicate: (item: T) => boolean): Promise<T> {
    const found = this.seen.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiting.push({ predicate, resolve }));
  }

  /** The first item that arrives from now on and matches. */
  next(predicate: (item: T) => boolean): Promise<T> {
    return new Promise((resolve) => this.waiting.push({ predicate, resolve }));
  }
}

export class LiveClient {
  readonly events = new Waiters<LiveEvent>();
  readonly presence = new Waiters<PresenceMessage>();

  constructor(readonly socket: Socket) {
    socket.on("event", (event: LiveEvent) => this.events.push(event));
    socket.on("presence", (message: PresenceMessage) => this.presence.push(message));
  }

  /** Sends a command and resolves with the server's acknowledgement. */
  request(name: string, payload: unknown): Promise<Ack> {
    return this.socket.emitWithAck(name, payload);
  }

  join(workspaceId: string, afterEventId?: string | number): Promise<Ack> {
    return this.request("workspace:join", afterEventId === undefined ? { workspaceId } : { workspaceId, afterEventId });
  }

  /** Events of one workspace received so far, in arrival order. */
  eventsOf(workspaceId: string): LiveEvent[] {
    return this.events.seen.filter((e) => e.workspaceId === workspaceId);
  }

  close() {
    this.socket.disconnect();
  }
}

/** Connects with a personal access token (or other options) and fails loudly if refused. */
export async function connectLive(baseUrl: string, credentials: { token: string } | { cookie: string }, options: Options = {}) {
  const socket = openSocket(baseUrl, {
    ...("token" in credentials ? { auth: { token: credentials.token } } : { extraHeaders: { cookie: credentials.cookie } }),
    ...options,
  });
  const client = new LiveClient(socket);
  const outcome = await handshake(socket);
  if (!outcome.connected) {
    socket.disconnect();
    throw new Error(`live channel refused the connection: ${outcome.error.message}`);
  }
  return client;
}
