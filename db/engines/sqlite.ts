/**
 * The embedded default: one SQLite file in WAL mode, pragmas per
 * docs/decisions/002-sqlite-pragmas.md. better-sqlite3 is synchronous, so an
 * async transaction needs serialising of its own: transactions queue behind one
 * another in this process and run as BEGIN IMMEDIATE on the writing connection.
 * Reads outside a transaction go through a second, read-only connection, so they
 * never see a transaction that has not committed (another request's code can run
 * while a transaction awaits).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "../schema.ts";
import type { DatasetRowInsert, Db, EngineConnection, TransactionOptions } from "./types.ts";

const migrationsFolder = fileURLToPath(new URL("../migrations/sqlite", import.meta.url));

export interface SqliteOptions {
  synchronous: "FULL" | "NORMAL";
}

function openFile(file: string, options: SqliteOptions & { readonly?: boolean }): Database.Database {
  const sqlite = new Database(file, { readonly: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma(`synchronous = ${options.synchronous}`);
  return sqlite;
}

export function openSqlite(file: string, options: SqliteOptions): EngineConnection {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const writer = openFile(file, options);
  const writeDb = drizzle(writer, { schema });
  // Opened after the writer, which creates the file and its WAL.
  const reader = openFile(file, { ...options, readonly: true });
  const readDb = drizzle(reader, { schema });

  // One prepared single-row statement, run per row: building a drizzle INSERT of hundreds of rows
  // costs the thread several times more than SQLite takes to store them (docs/bench/import.md).
  // Prepared on first use: the table exists only once the migrations have run.
  let insertRow: Database.Statement | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const running = new Set<string>();
  // Writes queued behind the one running, in shared memory: an import worker holding the write turn
  // reads it between its own transactions and hands the turn back as soon as someone waits.
  const writersWaiting = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const takeTurn = <T>(work: () => Promise<T>): Promise<T> => {
    Atomics.add(writersWaiting, 0, 1);
    const turn = queue.then(() => {
      Atomics.sub(writersWaiting, 0, 1);
      return work();
    });
    queue = turn.catch(() => undefined);
    return turn;
  };

  return {
    engine: "sqlite",
    location: path.resolve(file),
    db: readDb as unknown as Db,
    transaction<T>(work: (tx: Db) => Promise<T>, transactionOptions: TransactionOptions = {}): Promise<T> {
      return takeTurn(async () => {
        if (transactionOptions.durable === false) writer.pragma("synchronous = NORMAL");
        writer.exec("BEGIN IMMEDIATE");
        try {
          const value = await work(writeDb as unknown as Db);
          writer.exec("COMMIT");
          return value;
        } catch (error) {
          if (writer.inTransaction) writer.exec("ROLLBACK");
          throw error;
        } finally {
          if (transactionOptions.durable === false) writer.pragma(`synchronous = ${options.synchronous}`);
        }
      });
    },
    async rows<T>(query: SQL, on?: Db): Promise<T[]> {
      const target = (on ?? readDb) as unknown as typeof writeDb;
      return target.all<T>(query);
    },
    async insertDatasetRows(_tx: Db, rows: DatasetRowInsert[]) {
      // A transaction here runs on the writer connection, which this statement belongs to.
      if (!writer.inTransaction) throw new Error("insertDatasetRows runs inside a transaction");
      insertRow ??= writer.prepare(
        'INSERT INTO dataset_rows (dataset_id, row_index, participant_id, arm, "values") VALUES (?, ?, ?, ?, ?)',
      );
      for (const row of rows) insertRow.run(row.datasetId, row.rowIndex, row.participantId, row.arm, row.valuesJson);
    },
    importWriterFile: file === ":memory:" ? null : path.resolve(file),
    whileWritesHeld<T>(work: (waiting: Int32Array) => Promise<T>): Promise<T> {
      // A turn in the same queue as this process's transactions: they wait for it (asynchronously) and it for them.
      return takeTurn(() => work(writersWaiting));
    },
    async lockEventFeed() {
      // Transactions already run one at a time.
    },
    async exclusively<T>(name: string, work: () => Promise<T>) {
      // One process owns a SQLite file; a name only guards against overlapping runs in it.
      if (running.has(name)) return undefined;
      running.add(name);
      try {
        return await work();
      } finally {
        running.delete(name);
      }
    },
    async migrate() {
      migrate(writeDb, { migrationsFolder });
    },
    async close() {
      await queue;
      reader.close();
      writer.close();
    },
  };
}
