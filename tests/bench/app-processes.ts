/**
 * App processes on PostgreSQL, as a host that runs several would: each the
 * built app on 127.0.0.1 (servers.ts, stopped with the others), all pointed at
 * one scratch database and, when they must act as one deployment, one Redis
 * prefix. Every process names its database connections after itself, so the
 * CPU of its PostgreSQL backends can be told from the others'.
 */
import type { TestServer } from "../support/server.ts";
import type { ScratchDatabase } from "./postgres.ts";
import { BENCH_REDIS_URL } from "./redis.ts";
import { startBenchServer } from "./servers.ts";

export interface AppProcess {
  /** Also the application name of its PostgreSQL connections. */
  name: string;
  server: TestServer;
  pid: number;
}

export interface Deployment {
  label: string;
  processes: AppProcess[];
  urls: string[];
  /** The application names of its processes' PostgreSQL connections. */
  applicationNames: string[];
}

/**
 * Starts `count` processes of one deployment. They start one after another:
 * the first applies the migrations to the empty database, the others find it ready.
 */
export async function startDeployment(
  database: ScratchDatabase,
  options: { label: string; count: number; redisPrefix?: string; env?: Record<string, string> },
): Promise<Deployment> {
  const processes: AppProcess[] = [];
  for (let i = 1; i <= options.count; i++) {
    const name = `bench-${options.label}-${i}`;
    const server = await startBenchServer({
      DATABASE_URL: database.urlFor(name),
      ...(options.redisPrefix ? { REDIS_URL: BENCH_REDIS_URL, REDIS_PREFIX: options.redisPrefix } : {}),
      ...options.env,
    });
    if (server.process.pid === undefined) throw new Error(`${name} has no process id`);
    processes.push({ name, server, pid: server.process.pid });
  }
  return {
    label: options.label,
    processes,
    urls: processes.map((p) => p.server.url),
    applicationNames: processes.map((p) => p.name),
  };
}
