/**
 * The one database connection of the process. It lives on globalThis because
 * two copies of this module exist at run time (the server's, and the one
 * bundled into the Remix build); both must share one connection.
 */
import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { env } from "#app/env.server.ts";
import * as schema from "./schema.ts";

export type AppDatabase = BetterSQLite3Database<typeof schema> & {
  $client: Database.Database;
};

const GLOBAL_KEY = Symbol.for("consilience.database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: AppDatabase };

export function databasePath(): string {
  return env().DATABASE_PATH;
}

/** FULL by default: an acknowledged change survives a power cut (docs/decisions/002-sqlite-pragmas.md). */
function synchronousMode(): "FULL" | "NORMAL" {
  return env().SQLITE_SYNCHRONOUS;
}

/** Opens a database file with the pragmas this app relies on (see docs/decisions/002-sqlite-pragmas.md). */
export function openDatabase(file: string): AppDatabase {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma(`synchronous = ${synchronousMode()}`);
  return drizzle(sqlite, { schema }) as AppDatabase;
}

/** The process-wide database, opened on first use from DATABASE_PATH. */
export function getDb(): AppDatabase {
  const g = globalThis as GlobalWithDb;
  g[GLOBAL_KEY] ??= openDatabase(databasePath());
  return g[GLOBAL_KEY];
}

export function closeDb(): void {
  const g = globalThis as GlobalWithDb;
  const db = g[GLOBAL_KEY];
  if (!db) return;
  db.$client.close();
  delete g[GLOBAL_KEY];
}

export type Transaction = Parameters<Parameters<AppDatabase["transaction"]>[0]>[0];
