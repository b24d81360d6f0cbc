/**
 * How each column's values cross from SQLite to PostgreSQL, decided by the
 * column's type on the PostgreSQL side (db/schema/columns.ts writes each
 * column once for both engines: a timestamptz there is integer milliseconds
 * here, json is JSON text, boolean is 0/1, bytea is a blob).
 *
 * Two separate directions on purpose. `toPostgres` is what the copy writes;
 * `comparable` reads each side's own stored value into one neutral form, so the
 * check after the copy does not trust the conversion it is checking.
 */
import { createHash } from "node:crypto";

export type ColumnKind = "text" | "integer" | "bigint" | "double" | "boolean" | "json" | "timestamptz" | "bytea";

/** information_schema.columns.data_type → the kind of conversion it needs. */
const KIND_OF_TYPE: Record<string, ColumnKind> = {
  text: "text",
  integer: "integer",
  bigint: "bigint",
  "double precision": "double",
  boolean: "boolean",
  json: "json",
  jsonb: "json",
  "timestamp with time zone": "timestamptz",
  bytea: "bytea",
};

/** The conversion a PostgreSQL column type needs, or undefined for a type the copy does not know (it then refuses). */
export function columnKind(dataType: string): ColumnKind | undefined {
  return KIND_OF_TYPE[dataType];
}

export class UnexpectedValue extends Error {}

const shown = (value: unknown) => (Buffer.isBuffer(value) ? `${value.length} bytes` : JSON.stringify(value));

/** A SQLite value as the PostgreSQL column takes it (a parameter of `pg`). */
export function toPostgres(value: unknown, kind: ColumnKind): unknown {
  if (value === null) return null;
  switch (kind) {
    case "timestamptz":
      if (typeof value !== "number" || !Number.isFinite(value)) throw new UnexpectedValue(`${shown(value)} is not a time in milliseconds`);
      return new Date(value);
    case "boolean":
      if (value !== 0 && value !== 1) throw new UnexpectedValue(`${shown(value)} is not a boolean (0 or 1)`);
      return value === 1;
    case "json":
      if (typeof value !== "string") throw new UnexpectedValue(`${shown(value)} is not JSON text`);
      // PostgreSQL parses the text itself and refuses what is not JSON.
      return value;
    default:
      return value;
  }
}

/**
 * The PostgreSQL connection that compares reads json(b) and bigint as the text
 * the server sends, so nothing is lost to JavaScript's parsing before the
 * comparison decides what counts as equal.
 */
export const RAW_TEXT_TYPES = new Set([
  20, // bigint
  114, // json
  3802, // jsonb
]);

/** JSON with every object's keys sorted, so a copy that kept the meaning but not the spacing or key order compares equal. */
function canonicalJson(text: string): string {
  const sortKeys = (_key: string, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  try {
    return JSON.stringify(JSON.parse(text), sortKeys);
  } catch {
    return `not JSON: ${text}`;
  }
}

const digest = (bytes: Buffer) => `${bytes.length} bytes, sha256 ${createHash("sha256").update(bytes).digest("hex")}`;

export type Comparable = string | number | boolean | null;

/** A value stored in SQLite, in the form both sides are compared in. */
export function comparableFromSqlite(value: unknown, kind: ColumnKind): Comparable {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return kind === "bytea" ? digest(value) : `blob: ${digest(value)}`;
  if (kind === "boolean") return value === 1 ? true : value === 0 ? false : `not a boolean: ${shown(value)}`;
  if (kind === "json") return typeof value === "string" ? canonicalJson(value) : `not JSON text: ${shown(value)}`;
  // Event ids arrive as bigint text from PostgreSQL (RAW_TEXT_TYPES).
  if (kind === "bigint") return String(value);
  return value as Comparable;
}

/** A value read from PostgreSQL (through RAW_TEXT_TYPES), in the form both sides are compared in. */
export function comparableFromPostgres(value: unknown, kind: ColumnKind): Comparable {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (Buffer.isBuffer(value)) return digest(value);
  if (kind === "json") return canonicalJson(String(value));
  return value as Comparable;
}

/** Orders two key values as both databases sort them: numbers by value, text by its UTF-8 bytes (SQLite's BINARY, PostgreSQL's "C"). */
export function compareKeyValues(a: Comparable, b: Comparable, kind: ColumnKind): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (kind === "bigint") {
    const difference = BigInt(a as string) - BigInt(b as string);
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}
