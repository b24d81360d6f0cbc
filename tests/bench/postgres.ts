/**
 * Scratch PostgreSQL databases for the benches that run the app on PostgreSQL:
 * each is created fresh on the bench server (BENCH_POSTGRES_URL, by default
 * the local postgres://postgres@127.0.0.1:5432/postgres) and dropped once the
 * servers using it have stopped (servers.ts `releaseAfterServers`), so a run
 * that ends, fails, is interrupted or times out leaves none behind. A run that
 * was killed outright cannot drop its own: the next run drops the databases
 * whose bench process is gone (their name carries its pid).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { releaseAfterServers } from "./servers.ts";

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NAME_PREFIX = "consilience_bench_";

export interface ScratchDatabase {
  name: string;
  /** The address an app process connects with; its connections carry `applicationName` (pg_stat_activity tells them apart). */
  urlFor(applicationName: string): string;
  /** Server process ids of the connections whose application name is one of `applicationNames`. */
  backendPids(applicationNames: string[]): Promise<number[]>;
  /** What those connections are doing right now (pg_stat_activity). */
  backendActivity(applicationNames: string[]): Promise<BackendActivity[]>;
}

export interface BackendActivity {
  pid: number;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Databases of earlier bench runs whose process no longer exists. */
async function dropAbandoned(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${NAME_PREFIX}%`]);
  const abandoned = rows
    .map((r) => r.datname)
    .filter((name) => {
      const pid = Number(/^consilience_bench_(\d+)_/.exec(name)?.[1]);
      return Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
    });
  for (const name of abandoned) await client.query(`drop database if exists ${quoteIdentifier(name)} with (force)`);
  return abandoned;
}

/** A fresh, empty database (the app migrates it when its first process starts), dropped after the servers stop. */
export async function createScratchDatabase(log: (line: string) => void): Promise<ScratchDatabase> {
  const name = `${NAME_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin(async (client) => {
    const dropped = await dropAbandoned(client);
    if (dropped.length) log(`dropped ${dropped.length} scratch database(s) left by bench runs that were killed: ${dropped.join(", ")}`);
    await client.query(`create database ${quoteIdentifier(name)}`);
  });
  // One connection of the bench's own for pg_stat_activity, opened on first use.
  let monitor: Promise<pg.Client> | undefined;
  releaseAfterServers(async () => {
    await monitor?.then((client) => client.end()).catch(() => {});
    await withAdmin((client) => client.query(`drop database if exists ${quoteIdentifier(name)} with (force)`));
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const backendActivity = async (applicationNames: string[]) => {
    monitor ??= (async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL, application_name: "consilience-bench-monitor" });
      await client.connect();
      return client;
    })();
    const { rows } = await (await monitor).query<BackendActivity>(
      'select pid, state, wait_event_type as "waitEventType", wait_event as "waitEvent" ' +
        "from pg_stat_activity where datname = $1 and application_name = any($2::text[])",
      [name, applicationNames],
    );
    return rows;
  };
  return {
    name,
    urlFor(applicationName) {
      const withName = new URL(url);
      withName.searchParams.set("application_name", applicationName);
      return withName.toString();
    },
    backendActivity,
    backendPids: async (applicationNames) => (await backendActivity(applicationNames)).map((r) => r.pid),
  };
}

/** The server's version and the settings that decide its commit cost, for the line under a table. */
export async function postgresFacts(): Promise<string> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<Record<string, string>>(
      "select current_setting('server_version') as version, current_setting('synchronous_commit') as synchronous_commit, " +
        "current_setting('fsync') as fsync, current_setting('shared_buffers') as shared_buffers",
    );
    const r = rows[0];
    return `PostgreSQL ${r.version} on 127.0.0.1 (synchronous_commit=${r.synchronous_commit}, fsync=${r.fsync}, shared_buffers=${r.shared_buffers}), SERIALIZABLE transactions`;
  });
}
