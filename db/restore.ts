/**
 * `npm run restore -- <backup file> --force`: puts a backup in place of the
 * database at DATABASE_PATH. The server must be stopped first; the command
 * refuses while any process still has the database open. The backup is
 * checked before anything is replaced, and the database it replaces is kept
 * beside it (`<name>.before-restore-<time>`), so a restore can be undone.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { assertIntact, describeSummary, summarise } from "./backup.ts";
import { databasePath } from "./client.ts";

export class RestoreRefused extends Error {}

/**
 * True when no other process has the database open. Leaving WAL mode needs
 * the only connection to the file, so SQLite itself answers: a server holding
 * the database keeps it in WAL. (It also folds a crashed server's WAL into the
 * file, so the copy kept aside is complete.)
 */
function takeSoleAccess(file: string): boolean {
  const db = new Database(file, { fileMustExist: true, timeout: 1000 });
  try {
    const mode = db.pragma("journal_mode = DELETE", { simple: true });
    return String(mode).toLowerCase() === "delete";
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) return false;
    throw error;
  } finally {
    db.close();
  }
}

function fsyncFile(file: string) {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function restoreDatabase(backup: string, target: string, now = new Date()): { keptAside: string | null } {
  if (!fs.existsSync(backup)) throw new RestoreRefused(`There is no backup file at ${backup}.`);
  const check = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    assertIntact(check, backup);
  } finally {
    check.close();
  }

  let keptAside: string | null = null;
  if (fs.existsSync(target)) {
    if (!takeSoleAccess(target)) {
      throw new RestoreRefused(
        `The database at ${target} is open in another process (a running server?). Stop the server, then run the restore again.`,
      );
    }
    keptAside = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
  }

  // Copy next to the target first, so the swap is a rename on one file system.
  const incoming = `${target}.restoring`;
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  fs.copyFileSync(backup, incoming);
  fsyncFile(incoming);
  if (keptAside) fs.renameSync(target, keptAside);
  for (const leftover of [`${target}-wal`, `${target}-shm`, `${target}-journal`]) fs.rmSync(leftover, { force: true });
  fs.renameSync(incoming, target);
  return { keptAside };
}

function main(args: string[]): number {
  const backup = args.find((a) => !a.startsWith("-"));
  const target = databasePath();
  if (!backup || args.includes("--help")) {
    console.log(
      "Usage: npm run restore -- <backup file> --force\nReplaces the database at DATABASE_PATH (default data/consilience.sqlite) with the backup.",
    );
    return backup ? 0 : 2;
  }
  if (!args.includes("--force")) {
    console.log(
      [
        `This replaces the database at ${path.resolve(target)} with ${path.resolve(backup)}.`,
        "Changes made since the backup was taken will no longer be in the database (the current file is kept aside).",
        "1. Stop the server (SIGTERM or Ctrl-C) and every other program using the database.",
        "2. Run again with --force:  npm run restore -- " + backup + " --force",
        "3. Start the server again; it applies any newer migrations to the restored database.",
      ].join("\n"),
    );
    return 2;
  }
  const { keptAside } = restoreDatabase(backup, target);
  console.log(`Restored ${describeSummary(summarise(target))}`);
  console.log(keptAside ? `The database it replaced is kept as ${keptAside}.` : "There was no database before; nothing was kept aside.");
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`Restore refused: ${(error as Error).message}`);
    process.exit(1);
  }
}
