/**
 * How a biomarker's structured parts are written as text: in a data-dictionary
 * cell, in a form field, and in plain language on the page. One syntax for
 * all three, so what a spreadsheet holds is what a form accepts.
 *
 *   cut-offs          `low<1; high>3; suggests acute infection>=10`
 *   unit conventions  `pmol/L*0.16666666666666666 (1 µIU/mL = 6.0 pmol/L)`
 *                     (value in the biomarker's unit = value in pmol/L × factor)
 *   aliases           `crp; hscrp; c-reactive protein`
 *   categories        `1, Male | 2, Female` (REDCap's syntax, app/domain/categories.ts)
 *
 * No unit tables here (those are large and server-only): this module is safe
 * to import from the browser.
 */
import { type Category, formatCategories } from "./categories.ts";
import type { Cutoff, UnitConvention } from "./panels.ts";

export const CUTOFF_OPERATORS = ["<", "<=", ">", ">="] as const;

/** Characters a cut-off label, convention note or alias cannot hold: they delimit the cell syntax. */
export const RESERVED_IN_LABELS = /[;<>=]/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;

/** Parses a number as people type it: a dot for decimals, no thousands separators. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!new RegExp(`^${NUMBER}$`).test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Writes a number so that parseNumber gives back the same double. */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/** Splits a cell on `;`, leaving out empty pieces (a trailing `;` is harmless). */
export function splitList(text: string): string[] {
  return text
    .split(";")
    .map((piece) => piece.trim())
    .filter((piece) => piece !== "");
}

export function parseCutoffs(text: string): Parsed<Cutoff[]> {
  const cutoffs: Cutoff[] = [];
  for (const piece of splitList(text)) {
    const match = new RegExp(`^(.*?)\\s*(<=|>=|<|>)\\s*(${NUMBER})$`).exec(piece);
    if (!match) {
      return { ok: false, message: `“${piece}” is not a cut-off: write a label, an operator (<, <=, >, >=) and a number, as in “high>3”.` };
    }
    const label = match[1].trim();
    if (!label) return { ok: false, message: `“${piece}” needs a label before the operator, as in “high>3”.` };
    if (RESERVED_IN_LABELS.test(label)) {
      return {
        ok: false,
        message: `“${piece}” is not a cut-off: the operator is one of <, <=, > or >=, and the label cannot hold ; < > or =.`,
      };
    }
    cutoffs.push({ label, operator: match[2] as Cutoff["operator"], value: Number(match[3]) });
  }
  return { ok: true, value: cutoffs };
}

export function formatCutoffs(cutoffs: Cutoff[]): string {
  return cutoffs.map((c) => `${c.label}${c.operator}${formatNumber(c.value)}`).join("; ");
}

export function parseUnitConventions(text: string): Parsed<UnitConvention[]> {
  const conventions: UnitConvention[] = [];
  for (const piece of splitConventions(text)) {
    // The unit runs to the last `*` that is followed by a number: UCUM units may hold `*` themselves (10*9/L).
    const match = new RegExp(`^(.+)\\*\\s*(${NUMBER})\\s*(?:\\((.*)\\))?$`).exec(piece);
    if (!match || !match[1].trim()) {
      return {
        ok: false,
        message: `“${piece}” is not a unit convention: write unit*factor (note), as in “pmol/L*0.1667 (1 µIU/mL = 6.0 pmol/L)”.`,
      };
    }
    conventions.push({ unit: match[1].trim(), factor: Number(match[2]), note: (match[3] ?? "").trim() });
  }
  return { ok: true, value: conventions };
}

export function formatUnitConventions(conventions: UnitConvention[]): string {
  return conventions.map((c) => `${c.unit}*${formatNumber(c.factor)}${c.note ? ` (${c.note})` : ""}`).join("; ");
}

/** Splits on `;` outside parentheses, so a note may say “(assay; 2019)” without ending the convention. */
function splitConventions(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth += 1;
    if (char === ")") depth = Math.max(0, depth - 1);
    if (char === ";" && depth === 0) {
      pieces.push(current);
      current = "";
    } else current += char;
  }
  pieces.push(current);
  return pieces.map((p) => p.trim()).filter((p) => p !== "");
}

export const parseAliases = (text: string): string[] => splitList(text);
export const formatAliases = (aliases: string[]): string => aliases.join("; ");

const OPERATOR_WORDS: Record<Cutoff["operator"], string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

/** “high > 3 mg/L”: a cut-off as a reader says it. */
export function describeCutoff(cutoff: Cutoff, unit: string): string {
  return `${cutoff.label} ${OPERATOR_WORDS[cutoff.operator]} ${formatNumber(cutoff.value)}${unit ? ` ${unit}` : ""}`;
}

/** “1 pmol/L = 0.1667 u[IU]/mL (1 µIU/mL = 6.0 pmol/L)”: a convention as a reader checks it. */
export function describeConvention(convention: UnitConvention, unit: string): string {
  const factor = Number(convention.factor.toPrecision(4));
  const note = convention.note ? ` (${convention.note})` : "";
  return `1 ${convention.unit} = ${factor} ${unit || "(no unit)"}${note}, by convention`;
}

export function describeRange(min: number | null, max: number | null, unit: string): string {
  const suffix = unit ? ` ${unit}` : "";
  if (min === null && max === null) return "—";
  if (min === null) return `≤ ${formatNumber(max)}${suffix}`;
  if (max === null) return `≥ ${formatNumber(min)}${suffix}`;
  return `${formatNumber(min)}–${formatNumber(max)}${suffix}`;
}

/**
 * A LOINC code is digits, a hyphen and a check digit computed with the
 * Mod 10 (Luhn) algorithm; a wrong check digit almost always means a typo.
 */
export function checkLoinc(code: string): { valid: true } | { valid: false; message: string } {
  const match = /^(\d{1,7})-(\d)$/.exec(code);
  if (!match) return { valid: false, message: `“${code}” is not a LOINC code: write digits, a hyphen and the check digit, as in 30522-7.` };
  const expected = loincCheckDigit(match[1]);
  if (expected !== Number(match[2])) {
    return { valid: false, message: `“${code}” has a wrong check digit (expected ${match[1]}-${expected}): is the code mistyped?` };
  }
  return { valid: true };
}

function loincCheckDigit(digits: string): number {
  let sum = 0;
  [...digits].reverse().forEach((char, i) => {
    let d = Number(char);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return (10 - (sum % 10)) % 10;
}

/** The fields of a biomarker as a person types them (form fields, dictionary cells): the inverse of the parsers above. */
export interface BiomarkerFields {
  code: string;
  label: string;
  loinc: string | null;
  specimen: string | null;
  unit: string;
  valueType: string;
  categories: Category[];
  plausibleMin: number | null;
  plausibleMax: number | null;
  cutoffs: Cutoff[];
  molarMass: number | null;
  unitConventions: UnitConvention[];
  aliases: string[];
  description: string;
}

export function biomarkerAsText(b: BiomarkerFields): Record<keyof BiomarkerFields, string> {
  return {
    code: b.code,
    label: b.label,
    loinc: b.loinc ?? "",
    specimen: b.specimen ?? "",
    unit: b.unit,
    valueType: b.valueType,
    categories: formatCategories(b.categories),
    plausibleMin: formatNumber(b.plausibleMin),
    plausibleMax: formatNumber(b.plausibleMax),
    cutoffs: formatCutoffs(b.cutoffs),
    molarMass: formatNumber(b.molarMass),
    unitConventions: formatUnitConventions(b.unitConventions),
    aliases: formatAliases(b.aliases),
    description: b.description,
  };
}
