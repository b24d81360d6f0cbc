/**
 * The schema's tables as data (name, columns, references), read from drizzle's
 * table definitions rather than from the database's catalogue, so the same
 * code walks the tables on both engines.
 */
import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import * as pg from "drizzle-orm/pg-core";
import * as lite from "drizzle-orm/sqlite-core";
import { databaseEngine } from "../engine.ts";
import * as schema from "../schema.ts";

export interface TableInfo {
  /** The table's SQL name. */
  name: string;
  table: Table;
  /** Property name (as drizzle returns rows) and SQL name of each column. */
  columns: { key: string; name: string }[];
  /** Each column that references another table: its property name and the other table's SQL name. */
  references: { key: string; foreignTable: string }[];
}

const tableConfig = (databaseEngine === "sqlite" ? lite.getTableConfig : pg.getTableConfig) as (table: Table) => {
  columns: { name: string }[];
  foreignKeys: { reference(): { columns: { name: string }[]; foreignTable: Table } }[];
};

export function describeTables(): TableInfo[] {
  return (Object.values(schema) as unknown[])
    .filter((value): value is Table => is(value, Table))
    .map((table) => {
      const config = tableConfig(table);
      const keyOf = new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [column.name, key]));
      const columns = config.columns.map((c) => ({ key: keyOf.get(c.name) ?? c.name, name: c.name }));
      const references = config.foreignKeys.flatMap((fk) => {
        const ref = fk.reference();
        return ref.columns.length === 1
          ? [{ key: keyOf.get(ref.columns[0].name) ?? ref.columns[0].name, foreignTable: getTableName(ref.foreignTable) }]
          : [];
      });
      return { name: getTableName(table), table, columns, references };
    });
}
