/**
 * Direct access to a test server's SQLite file, for setting up states the API
 * cannot reach quickly (an expired token or invitation) and for checking what
 * the database itself allows. Never used to stand in for the API's answers.
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

export function countRows(file: string, table: string): number {
  return withDatabase(file, (db) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
}
