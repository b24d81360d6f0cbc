/**
 * Each process's relay of committed events to its own sockets, read from the
 * events table rather than passed along in memory (docs/decisions/018-live-feed-across-processes.md).
 *
 * A commit only rings a doorbell: "workspace W has new events" (locally, and to
 * the other processes through the adapter). The relay then reads W's events
 * after the last one it delivered and emits them, in id order, to the sockets
 * of W's room on this process. Ids of one workspace become visible in order
 * (the event insert holds a per-workspace lock until commit, db/engines), so
 * "after the last one delivered" never skips an event that commits later with
 * a smaller id, and a lost doorbell only delays delivery until the next one or
 * the periodic sweep.
 *
 * Everything the relay does for one workspace runs in one queue, so a join
 * (catch up, enter the room, replay the backlog) never interleaves with a
 * delivery: a joining socket gets every event exactly once, in order.
 */
import type { PublicEvent } from "#app/domain/events.ts";
import { eventsAfter, latestEventId } from "#app/services/audit.server.ts";
import { workspaceRoom, type LiveServer, type LiveSocket } from "./sockets.ts";

/** Rooms are checked this often even without a doorbell (a message lost between processes). */
const SWEEP_MS = 5_000;
/** Events read per query while catching up. */
const PAGE = 500;

export function workspaceFeed(io: LiveServer) {
  /** The newest event id each workspace's room on this process has been sent; absent while the room is empty here. */
  const delivered = new Map<string, number>();
  const queues = new Map<string, Promise<void>>();
  /** Workspaces with a catch-up queued that has not started: more doorbells add nothing to it. */
  const rung = new Set<string>();

  /** Runs `work` after everything queued for the workspace, one at a time. */
  function inTurn(workspaceId: string, work: () => Promise<void>): Promise<void> {
    const turn = (queues.get(workspaceId) ?? Promise.resolve()).then(work);
    const settled = turn.catch((error) => console.error("live feed failed", error));
    queues.set(workspaceId, settled);
    void settled.then(() => {
      if (queues.get(workspaceId) === settled) queues.delete(workspaceId);
    });
    return turn;
  }

  const localSockets = (workspaceId: string) => io.of("/").adapter.rooms.get(workspaceRoom(workspaceId))?.size ?? 0;

  async function readAfter(workspaceId: string, after: number, upTo?: number): Promise<PublicEvent[]> {
    const found: PublicEvent[] = [];
    for (let from = after; ; ) {
      const page = await eventsAfter(workspaceId, from, PAGE);
      for (const event of page) {
        if (upTo !== undefined && Number(event.id) > upTo) return found;
        found.push(event);
      }
      if (page.length < PAGE) return found;
      from = Number(page[page.length - 1].id);
    }
  }

  /** Sends this process's room every event it has not had yet. Runs in the workspace's turn. */
  async function catchUp(workspaceId: string): Promise<number> {
    const since = delivered.get(workspaceId);
    if (since === undefined || localSockets(workspaceId) === 0) {
      // Nobody here listens: start from the newest event when someone joins.
      const newest = Number(await latestEventId(workspaceId));
      delivered.set(workspaceId, newest);
      return newest;
    }
    let last = since;
    for (const event of await readAfter(workspaceId, since)) {
      io.local.to(workspaceRoom(workspaceId)).emit("event", event);
      last = Number(event.id);
    }
    delivered.set(workspaceId, last);
    return last;
  }

  const sweep = setInterval(() => {
    for (const workspaceId of delivered.keys()) {
      if (localSockets(workspaceId) === 0) delivered.delete(workspaceId);
      else void inTurn(workspaceId, async () => void (await catchUp(workspaceId)));
    }
  }, SWEEP_MS);
  sweep.unref();

  return {
    /** Workspace W has new committed events: deliver them to this process's sockets. */
    ring(workspaceId: string): void {
      if (!delivered.has(workspaceId) || rung.has(workspaceId)) return;
      rung.add(workspaceId);
      void inTurn(workspaceId, async () => {
        rung.delete(workspaceId);
        await catchUp(workspaceId);
      });
    },
    /**
     * Puts the socket in the workspace's room and sends it every event after
     * `afterEventId`, then live ones as they commit: none twice, none missed.
     */
    join(socket: LiveSocket, workspaceId: string, afterEventId: number): Promise<void> {
      return inTurn(workspaceId, async () => {
        const upTo = await catchUp(workspaceId);
        // A socket that disconnected while its turn waited has left every room for good: joining now would leave it in one.
        if (!socket.connected) return;
        socket.join(workspaceRoom(workspaceId));
        for (const event of await readAfter(workspaceId, afterEventId, upTo)) socket.emit("event", event);
      });
    },
    stop(): void {
      clearInterval(sweep);
    },
  };
}

export type WorkspaceFeed = ReturnType<typeof workspaceFeed>;
