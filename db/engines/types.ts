/**
 * What each engine gives the rest of the app. Everything that differs between
 * SQLite and PostgreSQL lives behind this interface (docs/decisions/017-one-schema-two-engines.md);
 * services see one query API and one transaction helper.
 */
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { DatabaseEngine } from "../engine.ts";
import type * as schema from "../schema.ts";

/** The query API services write against (drizzle's PostgreSQL one: the SQLite builders answer it alike). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface TransactionOptions {
  /**
   * false: the commit returns before it reaches the disk (a power cut may lose it, never corrupt it).
   * Only for writes that are safe to lose, such as a stored copy of an answer already sent.
   */
  durable?: boolean;
}

/**
 * One row of an imported dataset, as written: the values harmonised, aligned with the columns and
 * already serialised as the JSON text the `values` column holds (the import worker does that, so
 * the thread that answers every request does not).
 */
export interface DatasetRowInsert {
  datasetId: string;
  rowIndex: number;
  participantId: string | null;
  arm: string | null;
  valuesJson: string;
}

export interface EngineConnection {
  engine: DatabaseEngine;
  /** Where the data lives, for start-up messages (a file path, or the PostgreSQL address without its password). */
  location: string;
  /** Reads outside a transaction: they see only committed data. */
  db: Db;
  /** Runs `work` as one transaction with the guarantees of docs/decisions/017 (serialised on both engines). */
  transaction<T>(work: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Rows of a raw query, on `on` (a transaction) or outside one. */
  rows<T>(query: SQL, on?: Db): Promise<T[]>;
  /**
   * Inside a transaction: writes many rows of an imported dataset at once. An import writes 100,000
   * of them on the thread that answers every request, so each engine does it the cheapest way it has.
   */
  insertDatasetRows(tx: Db, rows: DatasetRowInsert[]): Promise<void>;
  /**
   * The SQLite file an import worker may write an import's rows and source file to, on a connection of
   * its own (sqlite-import-writer.ts), so that this thread never does; null where the writes stay here
   * (PostgreSQL: its writes are asynchronous, and a pool per worker would multiply connections).
   */
  importWriterFile: string | null;
  /**
   * Runs `work`, another connection's write, while no transaction of this process runs: SQLite lets one
   * connection write at a time, and this thread must never wait on that lock (a wait there blocks it).
   * `writersWaiting` (shared memory, readable from a worker thread with Atomics.load) counts this
   * process's writes queued meanwhile: a long write ends its turn early, between two of its
   * transactions, once it is not 0.
   */
  whileWritesHeld<T>(work: (writersWaiting: Int32Array) => Promise<T>): Promise<T>;
  /** Inside a transaction: holds back other writers of one workspace's events until this one commits. */
  lockEventFeed(tx: Db, workspaceId: string): Promise<void>;
  /**
   * Runs `work` only if no other process is running work under the same name,
   * else returns undefined at once (reminders, clean-ups: one process at a time).
   */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T | undefined>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
