/**
 * Reading one cell. Numbers use a dot as the decimal mark; a decimal comma
 * ("1,5") or a thousands separator ("1,500") is refused with a message that
 * says so rather than guessed (docs/decisions/008-dataset-files.md). The usual
 * spellings of "missing" are read as empty.
 */

const MISSING = new Set(["", "na", "n/a", "nan", "null", ".", "missing", "#n/a"]);

export function isMissing(raw: string): boolean {
  return MISSING.has(raw.trim().toLowerCase());
}

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; reason: string };

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The number a cell holds, null when it is empty or spelled missing, or undefined when it is not a
 * number (parseNumber says why). The same reading as parseNumber, without building a result object
 * per cell: an import reads two million cells through it.
 */
export function readNumber(raw: string): number | null | undefined {
  const text = raw.trim();
  const first = text.charCodeAt(0);
  // A digit first: never one of the missing spellings, so the set lookup is skipped.
  if (!(first >= 48 && first <= 57) && MISSING.has(text.toLowerCase())) return null;
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A text cell trimmed, or null when it is empty or spelled missing (as isMissing says). */
export function readText(raw: string): string | null {
  const text = raw.trim();
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) return text;
  return MISSING.has(text.toLowerCase()) ? null : text;
}

export function parseNumber(raw: string): ParsedNumber {
  const text = raw.trim();
  if (isMissing(text)) return { ok: true, value: null };
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return { ok: true, value };
    return { ok: false, reason: `“${clip(text)}” is too large to be a number` };
  }
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    return { ok: false, reason: `“${clip(text)}” has a thousands separator; write numbers without one (1500, not 1,500)` };
  }
  if (/^[-+]?\d*,\d+$/.test(text)) {
    return { ok: false, reason: `“${clip(text)}” has a decimal comma; use a dot as the decimal mark (1.5, not 1,5)` };
  }
  if (/^[<>]=?\s*\d/.test(text)) {
    return {
      ok: false,
      reason: `“${clip(text)}” is a censored value (below or above a detection limit); enter a number, or leave the cell empty`,
    };
  }
  return { ok: false, reason: `“${clip(text)}” is not a number` };
}

/** Rounds away float noise from unit conversion (0.3 × 10 = 3.0000000000000004); 12 significant digits exceed any assay. */
export function harmonise(value: number, factor: number | null): number {
  if (factor === null || factor === 1) return value;
  return Number((value * factor).toPrecision(12));
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
