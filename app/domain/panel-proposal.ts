/**
 * A panel proposed from another system's data dictionary (a REDCap data
 * dictionary CSV, the metadata of a CDISC ODM file): every field of the file
 * either becomes a biomarker definition or is skipped with a reason, so an
 * odd field never fails the whole file. The pieces both readers share live
 * here: labels made safe for the dictionary syntax, units read from a label
 * or note and checked with UCUM, coded choices (which become the biomarker's
 * categories). Pure (no I/O).
 */
import { type Category, parseCategories } from "./categories.ts";
import type { BiomarkerDefinition } from "./default-panel.ts";
import { checkUnit } from "./units.ts";

export type ProposalSource = "redcap" | "odm";

/** A coded answer as the source file gives it; it becomes one of the biomarker's categories. */
export type Choice = Category;

export interface ProposedField {
  /** The field's name in the source file (REDCap variable, ODM ItemDef Name). */
  field: string;
  /** Where the field is in the file: "row 12" (as a spreadsheet numbers it) or "ItemDef I.CRP". */
  location: string;
  /** The source's own type, as written ("text (number)", "calc", "radio", "float"). */
  sourceType: string;
  biomarker: BiomarkerDefinition;
  /** Coded answers of a categorical field; empty for numbers. */
  choices: Choice[];
  /** What was read or changed on the way, for the person reviewing. */
  notes: string[];
}

export interface SkippedField {
  field: string;
  location: string;
  reason: string;
}

export interface PanelProposal {
  source: ProposalSource;
  fields: ProposedField[];
  skipped: SkippedField[];
}

/** A problem with the file as a whole (it is not a dictionary at all), pointed at by row or element. */
export interface FileProblem {
  row: number | null;
  column: string;
  message: string;
}

export type ProposalParse = { ok: true; proposal: PanelProposal } | { ok: false; problems: FileProblem[] };

const CODE_MAX = 40;
const LABEL_MAX = 120;

/** A biomarker code from a source field name: lower case, letters, digits and _ (REDCap's own rule, nearly). */
export function codeOfField(name: string): string | null {
  const code = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return code === "" || code.length > CODE_MAX ? null : code;
}

/**
 * A label people read, safe for the dictionary syntax: REDCap labels may hold
 * HTML and the characters our cut-off syntax uses (; < > =), which are
 * spelled out or dropped rather than refusing the field.
 */
export function cleanLabel(raw: string): string {
  const text = raw
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&")
    .replace(/&lt;/gi, " under ")
    .replace(/&gt;/gi, " over ")
    .replace(/<=|≤/g, " at most ")
    .replace(/>=|≥/g, " at least ")
    .replace(/</g, " under ")
    .replace(/>/g, " over ")
    .replace(/=/g, " ")
    .replace(/;/g, ",")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1).trimEnd()}…` : text;
}

/** Spellings seen in real dictionaries that UCUM writes otherwise. */
const UNIT_SPELLINGS: [RegExp, string][] = [
  [/^mmhg$/i, "mm[Hg]"],
  [/^bpm$|^beats\/min$/i, "/min"],
  [/^mcg/i, "ug"],
  [/^iu\//i, "[IU]/"],
  [/^years?$/i, "a"],
  [/^months?$/i, "mo"],
  [/^kg\/m\^?2$/i, "kg/m2"],
];

/** A unit from text such as "mg/l", "mmHg", "µIU/mL", as UCUM spells it; null when it is not one. */
export function unitFromText(raw: string): string | null {
  let text = raw.trim();
  if (text === "" || text.length > 30 || /\s{2,}|[a-z]{3,}\s+[a-z]{3,}/i.test(text)) return null;
  for (const [pattern, replacement] of UNIT_SPELLINGS) text = text.replace(pattern, replacement);
  // Litres are written l and L alike; UCUM knows both, the panel stores L.
  text = text.replace(/(^|\/)([munpd]?)l$/, "$1$2L");
  const check = checkUnit(text);
  return check.valid && check.unit !== "" ? check.unit : null;
}

/** The text of a trailing "(…)" or "[…]" in a label, and the label without it. */
export function trailingBracket(label: string): { inner: string; rest: string } | null {
  const match = /^([\s\S]*?)[\s,]*(?:\(([^()]{1,30})\)|\[([^[\]]{1,30})\])\s*$/.exec(label);
  return match ? { inner: (match[2] ?? match[3]).trim(), rest: match[1].trim() } : null;
}

/**
 * The unit of a field, from its label's trailing brackets ("CRP (mg/dL)") or
 * its note ("mg/l", "Unit: mmHg"), and the label without the unit.
 */
export function unitOfField(label: string, note: string): { unit: string; label: string; from: "label" | "note" } | null {
  const bracket = trailingBracket(label);
  if (bracket) {
    const unit = unitFromText(bracket.inner);
    if (unit) return { unit, label: bracket.rest || label, from: "label" };
  }
  const noteText = note.replace(/^(units?|in)\s*[:=]?\s*/i, "").trim();
  const fromNote = unitFromText(noteText) ?? unitFromText(trailingBracket(noteText)?.inner ?? "");
  return fromNote ? { unit: fromNote, label, from: "note" } : null;
}

/** REDCap's choice syntax, `1, Male | 2, Female`: a choices field needs at least one. */
export function parseChoices(text: string): { ok: true; choices: Choice[] } | { ok: false; message: string } {
  const parsed = parseCategories(text, "choice");
  if (!parsed.ok) return parsed;
  if (parsed.value.length === 0) return { ok: false, message: "it has no choices" };
  return { ok: true, choices: parsed.value };
}

/** A biomarker definition with the defaults of an imported field. */
export function importedDefinition(
  fields: Pick<BiomarkerDefinition, "code" | "label"> & Partial<BiomarkerDefinition>,
): BiomarkerDefinition {
  return {
    loinc: null,
    specimen: null,
    unit: "",
    valueType: "numeric",
    categories: [],
    plausibleMin: null,
    plausibleMax: null,
    cutoffs: [],
    molarMass: null,
    unitConventions: [],
    aliases: [],
    description: "",
    ...fields,
  };
}

/** Marks later fields whose code an earlier field already took as skipped; the first keeps it. */
export function skipDuplicateCodes(proposal: PanelProposal): PanelProposal {
  const firstAt = new Map<string, string>();
  const fields: ProposedField[] = [];
  const skipped = [...proposal.skipped];
  for (const field of proposal.fields) {
    const earlier = firstAt.get(field.biomarker.code);
    if (earlier) {
      skipped.push({
        field: field.field,
        location: field.location,
        reason: `its code “${field.biomarker.code}” is already taken by ${earlier}`,
      });
      continue;
    }
    firstAt.set(field.biomarker.code, `${field.field} (${field.location})`);
    fields.push(field);
  }
  return { ...proposal, fields, skipped };
}

/** The most a dictionary file for a new panel may be: a REDCap project of a thousand fields is about 500 KiB; ODM metadata runs larger. */
export const PANEL_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
