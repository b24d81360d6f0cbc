/**
 * The column types every table is written in, one definition for both engines
 * (docs/decisions/017-one-schema-two-engines.md). Each helper builds the SQLite
 * column or the PostgreSQL one, for the engine this process runs on, with the
 * same JavaScript type either way: times are Dates (integer milliseconds on
 * SQLite, timestamptz on PostgreSQL), JSON is parsed, booleans are booleans.
 *
 * The helpers are typed as PostgreSQL's builders. That is the stricter query
 * API of the two: SQLite-only calls (`.get()`, `.all()`, `.run()`) do not type-check,
 * so code written against these tables runs on both engines.
 */
import { sql } from "drizzle-orm";
import * as pg from "drizzle-orm/pg-core";
import * as lite from "drizzle-orm/sqlite-core";
import { databaseEngine } from "../engine.ts";

const onSqlite = databaseEngine === "sqlite";

/** Chooses the engine's builder; the cast gives both one (PostgreSQL) type. */
function either<P>(sqliteBuilder: unknown, postgresBuilder: P): P {
  return (onSqlite ? sqliteBuilder : postgresBuilder) as P;
}

export const table = either(lite.sqliteTable, pg.pgTable);
export const index = either(lite.index, pg.index);
export const uniqueIndex = either(lite.uniqueIndex, pg.uniqueIndex);
export const primaryKey = either(lite.primaryKey, pg.primaryKey);
/** A second name for a table in one query (a self-join, or users as creator and approver). */
export const alias = either(lite.alias, pg.alias);

export const text = either(lite.text, pg.text);
export const integer = (name: string) => either(lite.integer(name), pg.integer(name));
/** A floating-point number (REAL on SQLite, double precision on PostgreSQL). */
export const real = (name: string) => either(lite.real(name), pg.doublePrecision(name));
export const boolean = (name: string) => either(lite.integer(name, { mode: "boolean" }), pg.boolean(name));
/**
 * A JSON value, parsed on read; give its type with `.$type<T>()`. PostgreSQL's `json` keeps the text
 * as written (jsonb would reorder object keys, and comparisons of stored snapshots rely on the order).
 */
export const json = (name: string) => either(lite.text(name, { mode: "json" }), pg.json(name));
/** A point in time, kept to the millisecond. */
export const timestamp = (name: string) =>
  either(lite.integer(name, { mode: "timestamp_ms" }), pg.timestamp(name, { mode: "date", withTimezone: true, precision: 3 }));

const bytea = pg.customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
/** Raw bytes (an uploaded file as it came). */
export const bytes = (name: string) => either(lite.blob(name, { mode: "buffer" }), bytea(name));

/** An ever-increasing integer key assigned by the database (the events' order). */
export const serialId = (name: string) =>
  either(lite.integer(name).primaryKey({ autoIncrement: true }), pg.bigserial(name, { mode: "number" }).primaryKey());

export const createdAt = () =>
  onSqlite
    ? timestamp("created_at").notNull().default(sql`(cast(unixepoch('subsec') * 1000 as integer))`)
    : timestamp("created_at").notNull().defaultNow();
