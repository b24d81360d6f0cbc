/**
 * `npm run backup -- <file>`: a consistent copy of the live database, taken
 * while the server keeps serving. It uses SQLite's online backup API
 * (better-sqlite3's `db.backup()`) from a second connection; in WAL mode that
 * connection only reads, so the server's writes go on meanwhile. The copy is
 * checked with `PRAGMA integrity_check` before the command reports success.
 *
 * It prints one line when the copy starts and one when it ends
 * (`backup: copy started …`, `backup: copy finished`): the copy is the
 * database as it was at the first line, and whatever the server commits after
 * it is not in the copy.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { databasePath } from "./client.ts";

export interface BackupSummary {
  file: string;
  bytes: number;
  /** Rows per table, for the operator to compare with what they expect. */
  rows: Record<string, number>;
  /** The newest audit event in the copy: the moment the copy stands for. */
  lastEvent: { id: number; createdAt: string } | null;
}

/** Copies `source` (a live database, possibly in use) to `destination`, which must not exist yet. `log` hears when the copy starts and ends. */
export async function backupDatabase(source: string, destination: string, log: (line: string) => void = () => {}): Promise<BackupSummary> {
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}. Set DATABASE_PATH to the server's database file.`);
  if (fs.existsSync(destination)) throw new Error(`${destination} already exists. Choose a new file name; a backup never overwrites.`);
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  const partial = `${destination}.partial`;
  fs.rmSync(partial, { force: true });
  const live = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    // The copy reads inside one read transaction opened here (the backup API uses the
    // source connection's open transaction): in WAL mode its snapshot is fixed by this
    // first read, so "copy started" is the moment the copy stands for, and a write by
    // the server cannot restart it. All pages go in one step.
    live.exec("BEGIN");
    const newest = live.prepare("SELECT max(id) AS id FROM events").get() as { id: number | null };
    log(`backup: copy started (newest audit event #${newest.id ?? 0})`);
    await live.backup(partial, { progress: () => 0x7fffffff });
    live.exec("COMMIT");
    log("backup: copy finished");
  } finally {
    live.close();
  }
  // A backup is one self-contained file: no -wal beside it.
  const copy = new Database(partial);
  try {
    copy.pragma("journal_mode = DELETE");
    assertIntact(copy, partial);
  } finally {
    copy.close();
  }
  fs.renameSync(partial, destination);
  return summarise(destination);
}

/** Throws unless SQLite finds the file sound and it holds a Consilience database. */
export function assertIntact(db: Database.Database, file: string): void {
  const problems = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (problems.join() !== "ok") throw new Error(`${file} is damaged (PRAGMA integrity_check): ${problems.slice(0, 5).join("; ")}`);
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
  );
  for (const required of ["__drizzle_migrations", "users", "events"]) {
    if (!tables.has(required)) throw new Error(`${file} is not a Consilience database (it has no ${required} table).`);
  }
}

/** Row counts and the newest event of a database file, read without changing it. */
export function summarise(file: string): BackupSummary {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const rows = Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
    const last = db.prepare("SELECT id, created_at AS createdAt FROM events ORDER BY id DESC LIMIT 1").get() as
      | { id: number; createdAt: number }
      | undefined;
    return {
      file,
      bytes: fs.statSync(file).size,
      rows,
      lastEvent: last ? { id: last.id, createdAt: new Date(last.createdAt).toISOString() } : null,
    };
  } finally {
    db.close();
  }
}

export function describeSummary(summary: BackupSummary): string {
  const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
  const last = summary.lastEvent ? `newest audit event #${summary.lastEvent.id} at ${summary.lastEvent.createdAt}` : "no audit events";
  return `${summary.file}: ${(summary.bytes / 1024).toFixed(0)} KiB, ${total} rows in ${Object.keys(summary.rows).length} tables, ${last}`;
}

async function main(args: string[]) {
  const destination = args.find((a) => !a.startsWith("-"));
  if (!destination || args.includes("--help")) {
    console.log(
      "Usage: npm run backup -- <backup file>\nCopies the database at DATABASE_PATH (default data/consilience.sqlite) while the server runs.",
    );
    return destination ? 0 : 2;
  }
  const summary = await backupDatabase(databasePath(), destination, (line) => console.log(line));
  console.log(`Backup written and checked. ${describeSummary(summary)}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`Backup failed: ${error.message}`);
      process.exit(1);
    },
  );
}
