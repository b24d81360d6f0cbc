/** SQL fragments that read the same on both engines (SQLite and PostgreSQL). */
import { type Column, type SQL, sql } from "drizzle-orm";

/** Escapes LIKE's wildcards, so text is matched as written. */
function literalPattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The column's text contains `text`, ignoring case (ASCII letters on SQLite, all letters on PostgreSQL). */
export function containsIgnoringCase(column: Column, text: string): SQL {
  return sql`lower(${column}) like ${`%${literalPattern(text.toLowerCase())}%`} escape '\\'`;
}
