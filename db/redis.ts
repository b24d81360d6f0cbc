/**
 * Redis, between the processes of a host that runs several (REDIS_URL): the
 * live channel's adapter and the sign-in budgets use it. Without REDIS_URL
 * each process keeps these in memory, which is right for the one-process
 * default. The shared connection lives on globalThis because the server and
 * the Remix build each hold a copy of this module.
 */
import { Redis } from "ioredis";
import { env } from "#app/env.server.ts";

const GLOBAL_KEY = Symbol.for("consilience.redis");
type GlobalWithRedis = typeof globalThis & { [GLOBAL_KEY]?: Redis };

/** Whether this process shares state with others through Redis. */
export function usesRedis(): boolean {
  return env().REDIS_URL !== undefined;
}

/** A new connection (a subscriber needs one of its own); the caller closes it. */
export function connectRedis(): Redis {
  const url = env().REDIS_URL;
  if (!url) throw new Error("REDIS_URL is not set");
  const client = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  // A lost connection is retried by ioredis; saying so once per failure is enough.
  client.on("error", (error) => console.error(`Redis: ${error.message}`));
  return client;
}

/** The process's shared connection for commands (not for subscribing). */
export function sharedRedis(): Redis {
  const g = globalThis as GlobalWithRedis;
  g[GLOBAL_KEY] ??= connectRedis();
  return g[GLOBAL_KEY];
}

export async function closeRedis(): Promise<void> {
  const g = globalThis as GlobalWithRedis;
  const client = g[GLOBAL_KEY];
  if (!client) return;
  delete g[GLOBAL_KEY];
  await client.quit().catch(() => client.disconnect());
}
