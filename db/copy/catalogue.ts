/**
 * What the copy needs to know about both databases, read from each one's own
 * catalogue: the PostgreSQL tables the migrations made (columns and their
 * types, primary keys, foreign keys, sequences) and the SQLite tables holding
 * the data. The PostgreSQL side decides every conversion (db/copy/values.ts).
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { type ColumnKind, columnKind } from "./values.ts";

export interface TargetColumn {
  name: string;
  /** information_schema's name of the type, e.g. "timestamp with time zone". */
  dataType: string;
  /** undefined for a type the copy cannot convert (the copy refuses). */
  kind: ColumnKind | undefined;
}

export interface TargetTable {
  name: string;
  columns: TargetColumn[];
  /** The primary key's columns, in key order: rows are compared in this order. */
  primaryKey: TargetColumn[];
  /** The tables this one references (other than itself). */
  parents: string[];
  /** Columns filled from a sequence (events.id): set past the copied ids afterwards. */
  sequences: { column: string; sequence: string }[];
}

/** drizzle's record of applied migrations: each database keeps its own. */
const BOOKKEEPING = "__drizzle_migrations";

/**
 * The search index (decision 023): derived from the other tables, so it is not copied; the target's
 * server builds its own at start-up, finding it empty.
 */
const isSearchIndex = (name: string) => name.startsWith("search_");

export const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Our tables on the PostgreSQL side (schema public), parents before the tables that reference them. */
export async function readTargetTables(client: pg.Client): Promise<TargetTable[]> {
  const { rows: columns } = await client.query<{ table: string; column: string; dataType: string; sequence: string | null }>(
    `SELECT c.table_name AS table, c.column_name AS column, c.data_type AS "dataType",
            pg_get_serial_sequence(format('%I.%I', c.table_schema, c.table_name), c.column_name) AS sequence
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const { rows: keys } = await client.query<{ table: string; column: string }>(
    `SELECT k.table_name AS table, k.column_name AS column
       FROM information_schema.table_constraints c
       JOIN information_schema.key_column_usage k
         ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
      WHERE c.table_schema = 'public' AND c.constraint_type = 'PRIMARY KEY'
      ORDER BY k.table_name, k.ordinal_position`,
  );
  const { rows: references } = await client.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint f
       JOIN pg_class child ON child.oid = f.conrelid
       JOIN pg_class parent ON parent.oid = f.confrelid
      WHERE f.contype = 'f' AND f.connamespace = 'public'::regnamespace`,
  );

  const tables = new Map<string, TargetTable>();
  for (const { table, column, dataType, sequence } of columns) {
    if (table === BOOKKEEPING || isSearchIndex(table)) continue;
    const entry = tables.get(table) ?? { name: table, columns: [], primaryKey: [], parents: [], sequences: [] };
    tables.set(table, entry);
    entry.columns.push({ name: column, dataType, kind: columnKind(dataType) });
    if (sequence) entry.sequences.push({ column, sequence });
  }
  for (const { table, column } of keys) {
    const entry = tables.get(table);
    const key = entry?.columns.find((c) => c.name === column);
    if (entry && key) entry.primaryKey.push(key);
  }
  for (const { child, parent } of references) {
    const entry = tables.get(child);
    if (!entry) continue;
    if (parent === child) {
      throw new Error(
        `${child} references itself; the copy inserts a table's rows in no particular order and cannot keep such references valid.`,
      );
    }
    if (!entry.parents.includes(parent)) entry.parents.push(parent);
  }
  return parentsFirst([...tables.values()]);
}

/** Tables ordered so that every table comes after the ones it references (alphabetical where free), so inserts meet their parents. */
export function parentsFirst(tables: TargetTable[]): TargetTable[] {
  const pending = new Map(tables.map((t) => [t.name, t]));
  const ordered: TargetTable[] = [];
  while (pending.size > 0) {
    const ready = [...pending.values()].filter((t) => t.parents.every((p) => !pending.has(p))).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (ready.length === 0) {
      throw new Error(
        `These tables reference each other in a circle, so no order inserts parents first: ${[...pending.keys()].join(", ")}.`,
      );
    }
    for (const table of ready) {
      ordered.push(table);
      pending.delete(table.name);
    }
  }
  return ordered;
}

/** The SQLite tables holding data (not SQLite's own, not drizzle's bookkeeping, not the search index), with their column names. */
export function readSourceTables(sqlite: Database.Database): Map<string, string[]> {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ? ORDER BY name")
    .pluck()
    .all(BOOKKEEPING)
    .filter((name) => !isSearchIndex(name as string)) as string[];
  return new Map(
    names.map((name) => [name, (sqlite.prepare(`PRAGMA table_info(${quoteName(name)})`).all() as { name: string }[]).map((c) => c.name)]),
  );
}

/**
 * Where the two databases do not hold the same tables and columns, or a column
 * has a type the copy does not convert: one line each, empty when the copy can go ahead.
 */
export function schemaMismatches(source: Map<string, string[]>, target: TargetTable[]): string[] {
  const problems: string[] = [];
  const targetNames = new Set(target.map((t) => t.name));
  for (const name of source.keys()) if (!targetNames.has(name)) problems.push(`table ${name} is in SQLite but not in PostgreSQL`);
  for (const table of target) {
    const sourceColumns = source.get(table.name);
    if (!sourceColumns) {
      problems.push(`table ${table.name} is in PostgreSQL but not in SQLite`);
      continue;
    }
    const targetColumns = table.columns.map((c) => c.name);
    for (const column of sourceColumns) if (!targetColumns.includes(column)) problems.push(`${table.name}.${column} is only in SQLite`);
    for (const column of targetColumns) if (!sourceColumns.includes(column)) problems.push(`${table.name}.${column} is only in PostgreSQL`);
    for (const column of table.columns) {
      if (!column.kind) problems.push(`${table.name}.${column.name} has the type ${column.dataType}, which the copy does not convert`);
    }
    if (table.primaryKey.length === 0) problems.push(`${table.name} has no primary key to compare its rows by`);
  }
  return problems;
}

/** Which of `names` exist in the PostgreSQL database's public schema and hold at least one row. */
export async function tablesHoldingRows(client: pg.Client, names: string[]): Promise<string[]> {
  const { rows: existing } = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name",
    [names],
  );
  const holding: string[] = [];
  for (const { name } of existing) {
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM public.${quoteName(name)}) AS any`);
    if (rows[0].any) holding.push(name);
  }
  return holding;
}
