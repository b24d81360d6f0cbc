/**
 * The adapter seam: how a room's messages reach its sockets. One process uses
 * Socket.IO's in-memory adapter (its default). With REDIS_URL, several
 * processes share Socket.IO's Redis adapter (@socket.io/redis-adapter, Redis
 * pub/sub; docs/decisions/018-live-feed-across-processes.md): broadcasts,
 * `fetchSockets()`, `socketsLeave()` and `disconnect()` then reach the sockets
 * of every process, and `serverSideEmit` carries the feed's doorbell.
 */
import { createAdapter } from "@socket.io/redis-adapter";
import { connectRedis, usesRedis } from "#db/redis.ts";
import { env } from "#app/env.server.ts";
import type { LiveServer } from "./sockets.ts";

/** Attaches the adapter; the answer closes what it opened. */
export function attachAdapter(io: LiveServer): { close(): Promise<void> } {
  if (!usesRedis()) return { close: async () => {} };
  const pub = connectRedis();
  const sub = pub.duplicate();
  io.adapter(createAdapter(pub, sub, { key: `${env().REDIS_PREFIX}:socket.io` }));
  return {
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
