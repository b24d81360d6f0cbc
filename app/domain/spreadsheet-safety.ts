/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or
 * carriage return before one) as a formula: CSV/formula injection. Every CSV
 * we export passes its cells through this, which prefixes such a cell with a
 * quote so it opens as text. Plain negative numbers are left alone.
 */
export function neutraliseFormula(value: string): string {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The inverse of neutraliseFormula for a cell read back from a file we may
 * have written: a quote in front of what would be a formula is taken off.
 */
export function restoreNeutralised(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export type CsvCell = string | number | null | undefined;

/** Some of a line's cells, by column name. */
export type CsvCells<C extends string> = Partial<Record<C, CsvCell>>;

/** One CSV line in the order of `columns`, from the cells it has by column name; the others stay empty. */
export function csvLine<C extends string>(columns: readonly C[], cells: CsvCells<C>): CsvCell[] {
  return columns.map((column) => cells[column] ?? null);
}

/**
 * The one way we write CSV: RFC 4180 quoting (a cell with a comma, quote or
 * line break is quoted, quotes doubled) and CRLF after every record, every text
 * cell passed through neutraliseFormula, missing values and non-finite numbers
 * as empty cells. Written by hand rather than with csv-stringify because this
 * module also reaches the browser bundle (goals, panel dictionary), where
 * csv-stringify needs Node's Buffer.
 */
export function toSafeCsv(rows: CsvCell[][]): string {
  const cell = (v: CsvCell) =>
    v === null || v === undefined ? "" : typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : neutraliseFormula(v);
  const quoted = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return rows.map((row) => row.map((v) => quoted(cell(v))).join(",") + "\r\n").join("");
}
