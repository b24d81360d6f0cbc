/**
 * The process's one database connection, on the engine DATABASE_URL selects
 * (db/engine.ts): the embedded SQLite file by default, PostgreSQL for hosts
 * running several processes. It lives on globalThis because two copies of this
 * module exist at run time (the server's, and the one bundled into the Remix
 * build); both must share one connection.
 *
 * Reads go through `getDb()`; every write goes through `transaction()`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "drizzle-orm";
import { env } from "#app/env.server.ts";
import { databaseEngine } from "./engine.ts";
import { openPostgres } from "./engines/postgres.ts";
import { openSqlite } from "./engines/sqlite.ts";
import type { DatasetRowInsert, Db, EngineConnection, TransactionOptions } from "./engines/types.ts";

export type { DatasetRowInsert, Db, TransactionOptions } from "./engines/types.ts";
/** The handle a write runs on inside `transaction()`; the same query API as `Db`. */
export type Transaction = Db;
/** Anything that reads: the process-wide handle or a running transaction. */
export type Reader = Db;

const GLOBAL_KEY = Symbol.for("consilience.database");
interface Shared {
  connection?: EngineConnection;
  /** The transaction the current async call chain runs in, if any. */
  running: AsyncLocalStorage<Db>;
}

function shared(): Shared {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Shared };
  g[GLOBAL_KEY] ??= { running: new AsyncLocalStorage() };
  return g[GLOBAL_KEY];
}

export function openConnection(): EngineConnection {
  const settings = env();
  return databaseEngine === "postgres" && settings.DATABASE_URL
    ? openPostgres(settings.DATABASE_URL, { poolSize: settings.DATABASE_POOL_SIZE })
    : openSqlite(settings.DATABASE_PATH, { synchronous: settings.SQLITE_SYNCHRONOUS });
}

export function connection(): EngineConnection {
  const state = shared();
  state.connection ??= openConnection();
  return state.connection;
}

/** The SQLite file of the embedded default (backup and restore work on it). */
export function databasePath(): string {
  return env().DATABASE_PATH;
}

/**
 * The handle for reads: inside a running transaction, that transaction (it sees its own writes, and a
 * read there never waits for a second pooled connection while holding one); elsewhere the process-wide
 * handle, which sees committed data only (on SQLite it cannot write: writes go through `transaction`).
 */
export function getDb(): Db {
  return shared().running.getStore() ?? connection().db;
}

/**
 * Runs `work` as one transaction: all of it commits or none of it does, and no
 * other transaction interleaves with it (docs/decisions/017). On PostgreSQL
 * `work` may run more than once when a concurrent transaction forces a retry,
 * so it must change nothing outside the database. A call inside a running
 * transaction joins it.
 */
export function transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
  const { running } = shared();
  const outer = running.getStore();
  if (outer) return work(outer);
  return connection().transaction((tx) => running.run(tx, () => work(tx)), options);
}

/** Writes rows of an imported dataset inside the running transaction `tx`, the engine's cheapest way. */
export function insertDatasetRows(tx: Transaction, rows: DatasetRowInsert[]): Promise<void> {
  return connection().insertDatasetRows(tx, rows);
}

/** The SQLite file an import worker writes an import's rows to itself; null when they are written on this thread. */
export function importWriterFile(): string | null {
  return connection().importWriterFile;
}

/**
 * Runs another connection's write (an import worker's) while no transaction of this process runs;
 * `writersWaiting` counts the writes queued meanwhile (shared memory, for the worker to read).
 */
export function whileWritesHeld<T>(work: (writersWaiting: Int32Array) => Promise<T>): Promise<T> {
  return connection().whileWritesHeld(work);
}

/** Rows of a raw SQL query (for what drizzle's builders cannot say). */
export function rawRows<T>(query: SQL, on?: Reader): Promise<T[]> {
  return connection().rows<T>(query, on ?? shared().running.getStore());
}

export async function closeDb(): Promise<void> {
  const state = shared();
  const open = state.connection;
  if (!open) return;
  delete state.connection;
  await open.close();
}
