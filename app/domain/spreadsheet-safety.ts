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
