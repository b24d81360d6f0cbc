/**
 * Redis for the benches that run several app processes: the local server
 * (BENCH_REDIS_URL, by default redis://127.0.0.1:6379) with a prefix of this
 * run's own, so that two groups, two runs, or the tests of another worktree on
 * the same Redis never hear each other's broadcasts. The keys written under a
 * prefix (sign-in budgets) are deleted once the servers have stopped.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { releaseAfterServers } from "./servers.ts";

export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A REDIS_PREFIX used by nobody else (at most 40 characters, as the app requires); its keys go when the servers stop. */
export function benchRedisPrefix(label: string): string {
  const prefix = `bench-${label}-${process.pid}-${randomBytes(3).toString("hex")}`.slice(0, 40);
  releaseAfterServers(() => deleteKeys(`${prefix}:*`));
  return prefix;
}

async function deleteKeys(pattern: string): Promise<void> {
  const client = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  client.on("error", () => {});
  try {
    await client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
