/**
 * The check after the copy: every table read from both databases in primary
 * key order and walked side by side, row by row, each value read into the
 * neutral form of db/copy/values.ts. Both sides are streamed (a SQLite
 * iterator, a PostgreSQL cursor), so a table of 100,000s of rows is never held
 * in memory whole.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { quoteName, type TargetTable } from "./catalogue.ts";
import { type Comparable, comparableFromPostgres, comparableFromSqlite, compareKeyValues } from "./values.ts";

/** How many differences of each sort a table reports by name; the counts are always complete. */
const EXAMPLES = 5;
const FETCH_ROWS = 1000;

export interface TableComparison {
  table: string;
  sqliteRows: number;
  postgresRows: number;
  /** Rows whose key is on both sides but whose values differ. */
  differing: number;
  /** Rows only in SQLite (not copied) or only in PostgreSQL. */
  onlyInSqlite: number;
  onlyInPostgres: number;
  /** A few of the differences, one line each, naming the row by its key. */
  examples: string[];
}

export const isIdentical = (c: TableComparison) => c.differing === 0 && c.onlyInSqlite === 0 && c.onlyInPostgres === 0;

type Row = Record<string, unknown>;

async function* postgresRowsInKeyOrder(client: pg.Client, table: TargetTable): AsyncGenerator<Row> {
  // Text keys sort by their bytes, as SQLite's BINARY collation sorts them.
  const order = table.primaryKey.map((c) => `${quoteName(c.name)}${c.kind === "text" ? ' COLLATE "C"' : ""}`).join(", ");
  const cursor = quoteName(`compare_${table.name}`);
  const columns = table.columns.map((c) => quoteName(c.name)).join(", ");
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns} FROM ${quoteName(table.name)} ORDER BY ${order}`);
  let failed = false;
  try {
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH ${FETCH_ROWS} FROM ${cursor}`);
      if (rows.length === 0) return;
      yield* rows;
    }
  } catch (error) {
    // The failed statement ended the transaction's use: the rollback closes the cursor.
    failed = true;
    throw error;
  } finally {
    if (!failed) await client.query(`CLOSE ${cursor}`);
  }
}

function sqliteRowsInKeyOrder(sqlite: Database.Database, table: TargetTable): IterableIterator<Row> {
  const columns = table.columns.map((c) => quoteName(c.name)).join(", ");
  const order = table.primaryKey.map((c) => quoteName(c.name)).join(", ");
  return sqlite.prepare(`SELECT ${columns} FROM ${quoteName(table.name)} ORDER BY ${order}`).iterate() as IterableIterator<Row>;
}

/** Compares one table on both sides; `onProgress` hears how many SQLite rows have been compared so far. */
export async function compareTable(
  sqlite: Database.Database,
  client: pg.Client,
  table: TargetTable,
  onProgress: (compared: number) => void = () => {},
): Promise<TableComparison> {
  const result: TableComparison = {
    table: table.name,
    sqliteRows: 0,
    postgresRows: 0,
    differing: 0,
    onlyInSqlite: 0,
    onlyInPostgres: 0,
    examples: [],
  };
  const keyOf = (row: Row, side: "sqlite" | "postgres"): Comparable[] =>
    table.primaryKey.map((c) => (side === "sqlite" ? comparableFromSqlite : comparableFromPostgres)(row[c.name], c.kind!));
  const compareKeys = (a: Comparable[], b: Comparable[]) =>
    table.primaryKey.reduce((order, c, i) => order || compareKeyValues(a[i], b[i], c.kind!), 0);
  const describeKey = (key: Comparable[]) => table.primaryKey.map((c, i) => `${c.name}=${JSON.stringify(key[i])}`).join(", ");
  const note = (line: string) => result.examples.push(`${table.name} ${line}`);

  const fromSqlite = sqliteRowsInKeyOrder(sqlite, table);
  const fromPostgres = postgresRowsInKeyOrder(client, table);
  try {
    let left = fromSqlite.next();
    let right = await fromPostgres.next();
    while (!left.done || !right.done) {
      const order = left.done ? 1 : right.done ? -1 : compareKeys(keyOf(left.value, "sqlite"), keyOf(right.value, "postgres"));
      if (order < 0) {
        result.onlyInSqlite++;
        if (result.onlyInSqlite <= EXAMPLES) note(`${describeKey(keyOf(left.value as Row, "sqlite"))}: in SQLite, missing in PostgreSQL`);
      } else if (order > 0) {
        result.onlyInPostgres++;
        if (result.onlyInPostgres <= EXAMPLES) note(`${describeKey(keyOf(right.value as Row, "postgres"))}: in PostgreSQL, not in SQLite`);
      } else {
        const differences = table.columns.flatMap((c) => {
          const a = comparableFromSqlite((left.value as Row)[c.name], c.kind!);
          const b = comparableFromPostgres((right.value as Row)[c.name], c.kind!);
          return a === b ? [] : [`${c.name} is ${JSON.stringify(a)} in SQLite but ${JSON.stringify(b)} in PostgreSQL`];
        });
        if (differences.length > 0) {
          result.differing++;
          if (result.differing <= EXAMPLES) note(`${describeKey(keyOf(left.value as Row, "sqlite"))}: ${differences.join("; ")}`);
        }
      }
      if (order <= 0) {
        result.sqliteRows++;
        if (result.sqliteRows % FETCH_ROWS === 0) onProgress(result.sqliteRows);
        left = fromSqlite.next();
      }
      if (order >= 0) {
        result.postgresRows++;
        right = await fromPostgres.next();
      }
    }
  } finally {
    fromSqlite.return?.();
    await fromPostgres.return(undefined);
  }
  return result;
}
