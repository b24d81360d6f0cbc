/**
 * The adapter seam: how a room's messages reach its sockets. One process uses
 * Socket.IO's in-memory adapter (its default). Past one machine (several
 * processes sharing Redis through REDIS_URL), this is the one place to attach
 * `createAdapter(pubClient, subClient)` from @socket.io/redis-adapter; the
 * handlers reach other sockets only through rooms, `fetchSockets()` and
 * `socketsLeave()`, which every adapter carries.
 *
 * What then needs more than this swap: the replay's "no event in between"
 * relies on the in-memory adapter being synchronous
 * (docs/decisions/005-live-channel.md), and `SocketData.presence` is a Map,
 * which does not survive the trip to another process.
 */
import type { LiveServer } from "./sockets.ts";

export function attachAdapter(_io: LiveServer): void {
  // In-memory: Socket.IO's default adapter is already in place.
}
