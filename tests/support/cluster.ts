/**
 * Several app processes on one PostgreSQL database and one Redis, as a host
 * runs them behind a balancer (README, "Running several processes"). Each
 * cluster gets a fresh database (dropped when it stops) and its own Redis
 * prefix. PostgreSQL and Redis must be running (TEST_POSTGRES_URL, TEST_REDIS_URL).
 */
import { randomUUID } from "node:crypto";
import { TestDatabase } from "./database.ts";
import { startServer, type TestServer } from "./server.ts";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface Cluster {
  processes: TestServer[];
  /** The database every process shares (for checks the API cannot make). */
  database: TestDatabase;
  /** Stops process i (SIGTERM) and starts it again on the same database and Redis. */
  restart(i: number): Promise<void>;
  /** Kills process i at once (SIGKILL), as a crash would. */
  kill(i: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(count: number, env: Record<string, string> = {}): Promise<Cluster> {
  const database = await TestDatabase.fresh("postgres");
  const processEnv = { ...env, ...database.serverEnv(), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `cluster_${randomUUID().slice(0, 8)}` };
  // Started one after another: the first migrates, the others find it done.
  const processes: TestServer[] = [];
  for (let i = 0; i < count; i++) processes.push(await startServer(processEnv));

  return {
    processes,
    database,
    async restart(i) {
      await processes[i].stop();
      processes[i] = await startServer(processEnv);
    },
    async kill(i) {
      const server = processes[i];
      const exited = new Promise((resolve) => server.process.once("exit", resolve));
      server.process.kill("SIGKILL");
      await exited;
    },
    async stop() {
      await Promise.all(processes.map((server) => server.stop()));
      await database.dispose();
    },
  };
}
