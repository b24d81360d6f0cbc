/**
 * Writing one table's SQLite rows into PostgreSQL: read through
 * better-sqlite3 as raw rows, converted per column (db/copy/values.ts), sent as
 * parameterised multi-row INSERTs. Runs inside the copy's one transaction.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { quoteName, type TargetTable } from "./catalogue.ts";
import { toPostgres, UnexpectedValue } from "./values.ts";

/** Rows per INSERT at most. */
const BATCH_ROWS = 1000;
/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;
/** An INSERT goes once its values reach about this many bytes: uploaded files are megabytes each. */
const BATCH_BYTES = 16 * 1024 * 1024;

const sizeOf = (value: unknown) => (typeof value === "string" || Buffer.isBuffer(value) ? value.length : 8);

/** Copies every row of `table`; `onProgress` hears the running count after each INSERT. Answers the rows copied. */
export async function copyTable(
  sqlite: Database.Database,
  client: pg.Client,
  table: TargetTable,
  onProgress: (copied: number) => void = () => {},
): Promise<number> {
  const columns = table.columns;
  const keyIndexes = table.primaryKey.map((key) => columns.indexOf(key));
  const describeRow = (row: unknown[]) => keyIndexes.map((i) => `${columns[i].name}=${JSON.stringify(row[i])}`).join(", ");
  const rowsPerInsert = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const insertInto = `INSERT INTO ${quoteName(table.name)} (${columns.map((c) => quoteName(c.name)).join(", ")}) VALUES `;

  let batch: unknown[][] = [];
  let firstRow: unknown[] = [];
  let bytes = 0;
  let copied = 0;
  const send = async () => {
    const tuples = batch.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(", ")})`);
    try {
      await client.query(insertInto + tuples.join(", "), batch.flat());
    } catch (error) {
      const { message, detail } = error as { message: string; detail?: string };
      throw new Error(
        `${table.name}: PostgreSQL refused the rows from ${describeRow(firstRow)} onwards: ${message}${detail ? ` (${detail})` : ""}`,
      );
    }
    copied += batch.length;
    onProgress(copied);
    batch = [];
    bytes = 0;
  };

  const select = sqlite.prepare(`SELECT ${columns.map((c) => quoteName(c.name)).join(", ")} FROM ${quoteName(table.name)}`).raw();
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    if (batch.length === 0) firstRow = row;
    batch.push(
      row.map((value, i) => {
        try {
          return toPostgres(value, columns[i].kind!);
        } catch (error) {
          if (!(error instanceof UnexpectedValue)) throw error;
          throw new Error(`${table.name}.${columns[i].name} of the row ${describeRow(row)}: ${error.message}`);
        }
      }),
    );
    bytes += row.reduce((sum: number, value) => sum + sizeOf(value), 0);
    if (batch.length >= rowsPerInsert || bytes >= BATCH_BYTES) await send();
  }
  if (batch.length > 0) await send();
  return copied;
}

/** Moves each sequence (events.id) past the ids copied in, so the next row the app writes gets a new id. */
export async function advanceSequences(client: pg.Client, tables: TargetTable[]): Promise<void> {
  for (const table of tables) {
    for (const { column, sequence } of table.sequences) {
      await client.query(`SELECT setval($1, coalesce((SELECT max(${quoteName(column)}) FROM ${quoteName(table.name)}), 0) + 1, false)`, [
        sequence,
      ]);
    }
  }
}
