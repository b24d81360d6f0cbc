/**
 * Several app processes on one PostgreSQL database and one Redis, as a host
 * runs them behind a balancer (README, "Running several processes"). Each
 * cluster gets a fresh database and its own Redis prefix, both removed when it
 * stops. PostgreSQL and Redis must be running (TEST_POSTGRES_URL, TEST_REDIS_URL).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { startServer, type TestServer } from "./server.ts";

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function onAdminDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (set TEST_POSTGRES_URL): ${error.message}`);
  });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface Cluster {
  processes: TestServer[];
  /** The database every process shares. */
  databaseUrl: string;
  /** Runs SQL on the shared database (for checks the API cannot make). */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Stops process i (SIGTERM) and starts it again on the same database and Redis. */
  restart(i: number): Promise<void>;
  /** Kills process i at once (SIGKILL), as a crash would. */
  kill(i: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(count: number, env: Record<string, string> = {}): Promise<Cluster> {
  const name = `consilience_cluster_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await onAdminDatabase((client) => client.query(`CREATE DATABASE ${name}`));
  const admin = new URL(TEST_POSTGRES_URL);
  admin.pathname = `/${name}`;
  const databaseUrl = admin.toString();
  const processEnv = { ...env, DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: name };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // Started one after another: the first migrates, the others find it done.
  const processes: TestServer[] = [];
  for (let i = 0; i < count; i++) processes.push(await startServer(processEnv));
  /** Processes killed and not started again: nothing left to stop. */
  const killed = new Set<TestServer>();
  const stopOne = (server: TestServer) => (killed.has(server) ? Promise.resolve() : server.stop().then(() => undefined));

  return {
    processes,
    databaseUrl,
    async query(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async restart(i) {
      await stopOne(processes[i]);
      processes[i] = await startServer(processEnv);
    },
    async kill(i) {
      const server = processes[i];
      const exited = new Promise((resolve) => server.process.once("exit", resolve));
      server.process.kill("SIGKILL");
      await exited;
      killed.add(server);
    },
    async stop() {
      await Promise.all(processes.map(stopOne));
      await pool.end();
      await onAdminDatabase((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
