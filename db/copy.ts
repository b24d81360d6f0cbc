/**
 * `npm run db:copy -- --to postgres://…`: moves the SQLite database at
 * DATABASE_PATH into an empty PostgreSQL database, for a host that outgrows one
 * process (README, "Moving to PostgreSQL").
 *
 * It applies the app's PostgreSQL migrations to the target, copies every table
 * in one transaction, parents first, keeping every id, then compares both
 * databases row by row inside that transaction and commits only a copy found
 * identical: the target ends up either a faithful copy or as empty as it was.
 *
 * The app's schema module builds its columns for the engine DATABASE_URL names
 * when it loads, so it cannot describe both databases at once: the copy reads
 * SQLite through better-sqlite3 and writes with `pg` directly, and takes every
 * table, column and type from the databases' own catalogues (db/copy/catalogue.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { env } from "#app/env.server.ts";
import { type TargetTable, quoteName, readSourceTables, readTargetTables, schemaMismatches, tablesHoldingRows } from "./copy/catalogue.ts";
import { compareTable, isIdentical, type TableComparison } from "./copy/compare.ts";
import { advanceSequences, copyTable } from "./copy/transfer.ts";
import { RAW_TEXT_TYPES } from "./copy/values.ts";
import { withoutPassword } from "./engine.ts";
import { isPostgresUrl } from "./engine.ts";

const migrationsFolder = fileURLToPath(new URL("./migrations/postgres", import.meta.url));

/** Tables with at least this many rows report their progress, every tenth of the way. */
const PROGRESS_FROM_ROWS = 10_000;

/** A copy that must not start; the message says why and what to do instead. Nothing has been written. */
export class CopyRefused extends Error {}

export interface CopyOutcome {
  identical: boolean;
  tables: TableComparison[];
}

const count = (n: number) => n.toLocaleString("en-US");
const rows = (n: number) => `${count(n)} ${n === 1 ? "row" : "rows"}`;

/** A connection to the target that hands json and bigint back as text, for the comparison to judge (db/copy/values.ts). */
export async function connectTarget(url: string): Promise<pg.Client> {
  const getTypeParser = ((oid: number, format?: "text" | "binary") =>
    RAW_TEXT_TYPES.has(oid) ? (text: string) => text : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser;
  const client = new pg.Client({ connectionString: url, types: { getTypeParser } });
  // A dropped connection also fails the statement running on it, which reports it; the event alone must not end the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === "3D000") {
      const name = new URL(url).pathname.slice(1);
      throw new CopyRefused(`${message}. Create it first (e.g. \`createdb ${name}\`), then run the copy again.`);
    }
    throw new CopyRefused(`Could not connect to ${withoutPassword(url)}: ${message}`);
  }
  return client;
}

/** Reports "n of total rows <verb>" each time another tenth of a large table is done. */
function tenths(log: (line: string) => void, table: string, total: number, verb: string) {
  let reported = 0;
  return (done: number) => {
    if (total < PROGRESS_FROM_ROWS || done >= total) return;
    const tenth = Math.floor((done * 10) / total);
    if (tenth > reported) {
      reported = tenth;
      log(`${table}: ${count(done)} of ${rows(total)} ${verb}…`);
    }
  };
}

function refuseUnlessEmpty(holding: string[], where: string) {
  if (holding.length === 0) return;
  const named = holding.length > 3 ? `${holding.slice(0, 3).join(", ")} and ${holding.length - 3} more tables` : holding.join(", ");
  throw new CopyRefused(
    `The PostgreSQL database ${where} is not empty: ${named} ${holding.length === 1 ? "holds" : "hold"} rows. ` +
      "db:copy only fills an empty database, so nothing there is overwritten or mixed into the copy. " +
      "Copy into a new database instead (`createdb consilience_new`, then --to that address), " +
      "or, if the rows there are not needed, drop this database, create it again empty, and run the copy again.",
  );
}

/** Opens the SQLite file for reading, refusing when there is no file or it holds no Consilience database. */
function openSource(file: string): Database.Database {
  const where = path.resolve(file);
  if (!fs.existsSync(file)) {
    throw new CopyRefused(
      `There is no SQLite database at ${where}. Set DATABASE_PATH to the file the server uses (default data/consilience.sqlite).`,
    );
  }
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  const tables = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  if (!["__drizzle_migrations", "users", "events"].every((t) => tables.has(t))) {
    sqlite.close();
    throw new CopyRefused(
      `${where} is not a Consilience database (it has no users, events or migrations table). Set DATABASE_PATH to the server's file.`,
    );
  }
  return sqlite;
}

/** Copies and compares every table inside the open transaction; answers each table's comparison. */
async function copyAndCompare(sqlite: Database.Database, client: pg.Client, tables: TargetTable[], log: (line: string) => void) {
  const totals = new Map<string, number>();
  log(`Copying ${tables.length} tables in one transaction…`);
  for (const table of tables) {
    const total = sqlite
      .prepare(`SELECT count(*) FROM ${quoteName(table.name)}`)
      .pluck()
      .get() as number;
    totals.set(table.name, total);
    await copyTable(sqlite, client, table, tenths(log, table.name, total, "copied"));
  }
  await advanceSequences(client, tables);
  log("Comparing every row…");
  const comparisons: TableComparison[] = [];
  for (const table of tables) {
    const comparison = await compareTable(sqlite, client, table, tenths(log, table.name, totals.get(table.name)!, "compared"));
    comparisons.push(comparison);
    if (isIdentical(comparison)) {
      log(`${table.name}: ${rows(comparison.postgresRows)} copied, identical`);
    } else {
      log(
        `${table.name}: ${rows(comparison.postgresRows)} copied, DIFFERENT: ${rows(comparison.differing)} with other values, ` +
          `${rows(comparison.onlyInSqlite)} missing in PostgreSQL, ${rows(comparison.onlyInPostgres)} only in PostgreSQL`,
      );
      for (const example of comparison.examples) log(`  ${example}`);
    }
  }
  return comparisons;
}

/** The whole move: checks, migrations, the copy and its comparison. Throws CopyRefused before writing anything when it must not start. */
export async function copySqliteToPostgres(sqlitePath: string, targetUrl: string, log: (line: string) => void): Promise<CopyOutcome> {
  if (!isPostgresUrl(targetUrl)) {
    throw new CopyRefused(
      `${withoutPassword(targetUrl)} is not a PostgreSQL address. Give the empty database to copy into as ` +
        "--to postgres://user:password@host:5432/database. (To copy the SQLite file itself, use npm run backup.)",
    );
  }
  const where = withoutPassword(targetUrl);
  const sqlite = openSource(sqlitePath);
  let client: pg.Client | undefined;
  try {
    const source = readSourceTables(sqlite);
    client = await connectTarget(targetUrl);
    refuseUnlessEmpty(await tablesHoldingRows(client, [...source.keys()]), where);

    log(`Copying ${path.resolve(sqlitePath)} into ${where}.`);
    await migrate(drizzle(client), { migrationsFolder });
    log("Applied the PostgreSQL migrations.");
    const tables = await readTargetTables(client);
    const mismatches = schemaMismatches(source, tables);
    if (mismatches.length > 0) {
      throw new Error(
        `The SQLite database's tables differ from this version's PostgreSQL schema:\n${mismatches.map((m) => `  ${m}`).join("\n")}\n` +
          "Start this version of the server once on the SQLite file (it applies its migrations at start-up), stop it, and run the copy again.",
      );
    }

    // One read transaction on SQLite: the copy and its comparison see the same moment of the file.
    sqlite.exec("BEGIN");
    await client.query("BEGIN");
    try {
      // No other writer may slip rows in between the emptiness check and the commit.
      await client.query(`LOCK TABLE ${tables.map((t) => quoteName(t.name)).join(", ")} IN EXCLUSIVE MODE`);
      refuseUnlessEmpty(await tablesHoldingRows(client, [...source.keys()]), where);
      const comparisons = await copyAndCompare(sqlite, client, tables, log);
      const identical = comparisons.every(isIdentical);
      await client.query(identical ? "COMMIT" : "ROLLBACK");
      return { identical, tables: comparisons };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      if (error instanceof CopyRefused) throw error;
      throw new Error(`${(error as Error).message}\nNothing was copied: the transaction was rolled back.`, { cause: error });
    } finally {
      sqlite.exec("COMMIT");
    }
  } finally {
    sqlite.close();
    await client?.end();
  }
}

function parseTarget(args: string[]): string | undefined {
  const at = args.indexOf("--to");
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith("--to="))?.slice("--to=".length);
}

async function main(args: string[]): Promise<number> {
  const target = parseTarget(args);
  if (!target || args.includes("--help")) {
    console.log(
      "Usage: npm run db:copy -- --to postgres://user:password@host:5432/database\n" +
        "Copies the SQLite database at DATABASE_PATH (default data/consilience.sqlite) into an empty PostgreSQL database.\n" +
        "Stop the server first: changes made while the copy runs are not in it.",
    );
    return target ? 0 : 2;
  }
  const outcome = await copySqliteToPostgres(env().DATABASE_PATH, target, (line) => console.log(line));
  const total = outcome.tables.reduce((sum, t) => sum + t.postgresRows, 0);
  const tables = `${outcome.tables.length} tables`;
  if (outcome.identical) {
    console.log(`The copy is identical: ${rows(total)} in ${tables}, committed. Start the server with DATABASE_URL set to this database.`);
    return 0;
  }
  const differing = outcome.tables.filter((t) => !isIdentical(t)).length;
  console.log(
    `The copy is not identical: ${differing} of ${tables} differ (listed above). It was rolled back; the PostgreSQL database holds no rows.`,
  );
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error instanceof CopyRefused ? `Copy refused: ${error.message}` : `Copy failed: ${error.message}`);
      process.exit(1);
    },
  );
}
