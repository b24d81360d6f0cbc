/**
 * Checks that only a SQLite file has: its own integrity and foreign-key checks,
 * and every row of a copy (backups) read straight from the file. Everything
 * that holds on both engines goes through a server's `database`
 * (tests/support/database.ts) instead.
 */
import Database from "better-sqlite3";

export function withDatabase<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file, { timeout: 5000 });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Every row of every table (migrations bookkeeping included), in a stable order, keyed by table name. */
export function allTableRows(file: string): Record<string, Record<string, unknown>[]> {
  return withDatabase(file, (db) => {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    return Object.fromEntries(
      tables.map((table) => {
        // Order by every column, so two copies of one table list their rows alike.
        const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
        return [table, db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns.join(", ")}`).all() as Record<string, unknown>[]];
      }),
    );
  });
}

export function integrityCheck(file: string): string[] {
  return withDatabase(file, (db) => (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check));
}

export function foreignKeyProblems(file: string): unknown[] {
  return withDatabase(file, (db) => db.pragma("foreign_key_check") as unknown[]);
}
