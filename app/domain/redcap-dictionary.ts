/**
 * A REDCap data dictionary (the 18-column CSV REDCap exports under "Data
 * Dictionary") both ways: a file → a panel proposal, and a panel → a file
 * REDCap imports. Real exports come with a byte-order mark, `;` as the
 * delimiter and decimal commas (European Excel), line breaks inside cells,
 * HTML in labels, descriptive fields and branching logic; every field either
 * becomes a biomarker or is skipped with a reason. Only a file that is not a
 * data dictionary at all is refused. Pure (no I/O).
 */
import { parse } from "csv-parse/sync";
import { formatCategories } from "./categories.ts";
import type { BiomarkerDefinition } from "./default-panel.ts";
import {
  type Choice,
  cleanLabel,
  codeOfField,
  importedDefinition,
  type ProposalParse,
  type ProposedField,
  parseChoices,
  type SkippedField,
  skipDuplicateCodes,
  unitOfField,
} from "./panel-proposal.ts";
import { restoreNeutralised, toSafeCsv } from "./spreadsheet-safety.ts";

/** REDCap's header, in its order; a file is read by these names (case and spacing ignored), not by position. */
export const REDCAP_COLUMNS = [
  "Variable / Field Name",
  "Form Name",
  "Section Header",
  "Field Type",
  "Field Label",
  "Choices, Calculations, OR Slider Labels",
  "Field Note",
  "Text Validation Type OR Show Slider Number",
  "Text Validation Min",
  "Text Validation Max",
  "Identifier?",
  "Branching Logic (Show field only if...)",
  "Required Field?",
  "Custom Alignment",
  "Question Number (surveys only)",
  "Matrix Group Name",
  "Matrix Ranking?",
  "Field Annotation",
] as const;

type Key =
  | "variable"
  | "form"
  | "type"
  | "label"
  | "choices"
  | "note"
  | "validation"
  | "min"
  | "max"
  | "identifier"
  | "branching"
  | "annotation";

/** How each column we read starts, after lower-casing and dropping spaces (REDCap versions vary the rest). */
const HEADER_STARTS: [Key, string][] = [
  ["variable", "variable/fieldname"],
  ["form", "formname"],
  ["type", "fieldtype"],
  ["label", "fieldlabel"],
  ["choices", "choices"],
  ["note", "fieldnote"],
  ["validation", "textvalidationtype"],
  ["min", "textvalidationmin"],
  ["max", "textvalidationmax"],
  ["identifier", "identifier"],
  ["branching", "branchinglogic"],
  ["annotation", "fieldannotation"],
];

const REQUIRED_NAMES: Partial<Record<Key, string>> = {
  variable: "Variable / Field Name",
  form: "Form Name",
  type: "Field Type",
  label: "Field Label",
};
const REQUIRED = Object.keys(REQUIRED_NAMES) as Key[];

/** Text validations that hold a number; the integer one makes an integer biomarker. */
const NUMERIC_VALIDATION = /^(number(_\d+dp)?(_comma_decimal)?|integer|float)$/;
const DATE_VALIDATION = /^(date|datetime|time)/;

export function parseRedcapDictionary(text: string): ProposalParse {
  const body = text.replace(/^\uFEFF/, "");
  const delimiter = delimiterOf(body);
  let records: string[][];
  try {
    records = parse(body, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    return { ok: false, problems: [{ row: lines ?? 1, column: "", message: `The file is not readable as CSV: ${message}` }] };
  }
  const [header, ...rows] = records;
  const columns = readHeader(header ?? []);
  if (!columns.ok) return columns;
  // Our own exports quote formula-like cells for spreadsheets; the quote comes off again here.
  const cellOf = (cells: string[], key: Key) =>
    columns.index[key] === undefined ? "" : restoreNeutralised((cells[columns.index[key]!] ?? "").trim());

  const fields: ProposedField[] = [];
  const skipped: SkippedField[] = [];
  const rowOfVariable = new Map<string, number>();
  for (const [i, cells] of rows.entries()) {
    const row = i + 2;
    if (cells.every((cell) => cell.trim() === "")) continue;
    const get = (key: Key) => cellOf(cells, key);
    const variable = get("variable");
    const location = `row ${row}`;
    const skip = (reason: string) => skipped.push({ field: variable || "(no name)", location, reason });
    if (variable === "") {
      skip("the row has no variable name");
      continue;
    }
    const earlier = rowOfVariable.get(variable);
    if (earlier !== undefined) {
      skip(`the variable name is already used on row ${earlier}`);
      continue;
    }
    rowOfVariable.set(variable, row);
    // REDCap makes the first field the record identifier: each record becomes a participant, not a measure.
    if (rowOfVariable.size === 1) {
      skip("it is the record identifier: each record becomes a participant");
      continue;
    }
    const outcome = proposeField({
      variable,
      location,
      form: get("form"),
      type: get("type").toLowerCase(),
      label: get("label"),
      choices: get("choices"),
      note: get("note"),
      validation: get("validation").toLowerCase(),
      min: get("min"),
      max: get("max"),
      identifier: get("identifier").toLowerCase(),
      branching: get("branching"),
      annotation: get("annotation"),
      // REDCap's *_comma_decimal validations hold decimal commas whatever the file's delimiter.
      decimalComma: delimiter === ";" || get("validation").toLowerCase().endsWith("_comma_decimal"),
    });
    if ("reason" in outcome) skip(outcome.reason);
    else fields.push(outcome);
  }
  if (rowOfVariable.size === 0) {
    return { ok: false, problems: [{ row: 2, column: "", message: "The data dictionary has a header but no fields." }] };
  }
  return { ok: true, proposal: skipDuplicateCodes({ source: "redcap", fields, skipped }) };
}

/** A dictionary's fields as written (for reading a records export with it), or why it is not a dictionary. */
export function readDictionaryFields(text: string):
  | {
      ok: true;
      fields: { variable: string; type: string; label: string; choices: string; note: string; validation: string; identifier: string }[];
    }
  | { ok: false; message: string } {
  const body = text.replace(/^\uFEFF/, "");
  let records: string[][];
  try {
    records = parse(body, {
      delimiter: delimiterOf(body),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      trim: false,
    });
  } catch (error) {
    return { ok: false, message: `The dictionary is not readable as CSV: ${(error as Error).message}` };
  }
  const [header, ...rows] = records;
  const columns = readHeader(header ?? []);
  if (!columns.ok) return { ok: false, message: columns.problems[0].message };
  const cellOf = (cells: string[], key: Key) =>
    columns.index[key] === undefined ? "" : restoreNeutralised((cells[columns.index[key]!] ?? "").trim());
  const fields = rows
    .filter((cells) => cellOf(cells, "variable") !== "")
    .map((cells) => ({
      variable: cellOf(cells, "variable"),
      type: cellOf(cells, "type").toLowerCase(),
      label: cellOf(cells, "label"),
      choices: cellOf(cells, "choices"),
      note: cellOf(cells, "note"),
      validation: cellOf(cells, "validation").toLowerCase(),
      identifier: cellOf(cells, "identifier").toLowerCase(),
    }));
  if (fields.length === 0) return { ok: false, message: "The data dictionary has a header but no fields." };
  return { ok: true, fields };
}

/** Whether a text field's validation makes it a number. */
export const isNumericValidation = (validation: string) => NUMERIC_VALIDATION.test(validation);

interface FieldRow {
  variable: string;
  location: string;
  form: string;
  type: string;
  label: string;
  choices: string;
  note: string;
  validation: string;
  min: string;
  max: string;
  identifier: string;
  branching: string;
  annotation: string;
  decimalComma: boolean;
}

function proposeField(f: FieldRow): ProposedField | { reason: string } {
  const notes: string[] = [];
  const sourceType = f.validation ? `${f.type} (${f.validation})` : f.type;
  let valueType: BiomarkerDefinition["valueType"];
  let choices: Choice[] = [];
  switch (f.type) {
    case "descriptive":
      return { reason: "a descriptive field shows text and holds no data" };
    case "file":
      return { reason: f.validation === "signature" ? "a signature holds no measure" : "a file upload holds no measure" };
    case "sql":
      return { reason: "an SQL field's choices come from the REDCap server and cannot be read from the dictionary" };
    case "notes":
      return { reason: "free text (notes) is not a measure" };
    case "text":
      if (DATE_VALIDATION.test(f.validation)) return { reason: `a ${f.validation.replace(/_.*/, "")} is not a measure` };
      if (!NUMERIC_VALIDATION.test(f.validation)) {
        return { reason: f.validation ? `text validated as ${f.validation} is not a number` : "free text (no number validation)" };
      }
      valueType = f.validation === "integer" ? "integer" : "numeric";
      break;
    case "calc":
    case "slider":
      valueType = "numeric";
      break;
    case "radio":
    case "dropdown":
    case "checkbox": {
      const parsed = parseChoices(f.choices);
      if (!parsed.ok) return { reason: `its choices cannot be read: ${parsed.message}` };
      choices = parsed.choices;
      valueType = "category";
      if (f.type === "checkbox")
        notes.push(`Several answers at once: records hold one 0/1 column per choice (${f.variable}___${choices[0].code}, …).`);
      break;
    }
    case "yesno":
      choices = [
        { code: "1", label: "Yes" },
        { code: "0", label: "No" },
      ];
      valueType = "category";
      break;
    case "truefalse":
      choices = [
        { code: "1", label: "True" },
        { code: "0", label: "False" },
      ];
      valueType = "category";
      break;
    case "":
      return { reason: "the row has no field type" };
    default:
      return { reason: `“${f.type}” is not a REDCap field type` };
  }
  if (f.identifier === "y") return { reason: "it is marked as an identifier (personal data), which stays out of a panel" };

  const code = codeOfField(f.variable);
  if (!code) return { reason: "its name cannot be a biomarker code (letters, digits and _, at most 40)" };
  const unit = valueType === "category" ? null : unitOfField(f.label, f.note);
  if (unit) notes.push(`Unit ${unit.unit}, read from the ${unit.from}.`);
  const label = cleanLabel(unit?.label ?? f.label) || f.variable;

  const range = { min: null as number | null, max: null as number | null };
  if (valueType !== "category") {
    for (const [side, text] of [
      ["min", f.min],
      ["max", f.max],
    ] as const) {
      if (text === "") continue;
      const value = readNumber(text, f.decimalComma);
      if (value === null) notes.push(`The validation ${side} “${text}” is not a number and was left out.`);
      else range[side] = value;
    }
    if (f.type === "slider" && f.min === "" && f.max === "") Object.assign(range, { min: 0, max: 100 });
    if (range.min !== null && range.max !== null && range.min > range.max) {
      notes.push(`The validation min ${range.min} is above the max ${range.max}; both were left out.`);
      range.min = range.max = null;
    }
  }

  const described = [
    f.label !== label && !unit ? `REDCap label: ${f.label.replace(/\s+/g, " ")}` : "",
    f.type === "calc" && f.choices ? `Calculated in REDCap: ${f.choices.replace(/\s+/g, " ")}` : "",
    f.branching ? `Asked only if: ${f.branching.replace(/\s+/g, " ")}` : "",
  ].filter(Boolean);
  if (code !== f.variable) notes.push(`Code ${code}; the REDCap name ${f.variable} is kept as an alias.`);
  return {
    field: f.variable,
    location: f.location,
    sourceType,
    biomarker: importedDefinition({
      code,
      label,
      unit: unit?.unit ?? "",
      valueType,
      categories: choices,
      plausibleMin: range.min,
      plausibleMax: range.max,
      loinc: /\bLOINC[:\s]+(\d{1,7}-\d)\b/i.exec(f.annotation)?.[1] ?? null,
      aliases: code !== f.variable ? [f.variable] : [],
      description: described.join("\n").slice(0, 2000),
    }),
    choices,
    notes,
  };
}

/** A number as REDCap stores it; in a `;` file or a comma-decimal validation, a decimal comma too (0,5). */
function readNumber(text: string, decimalComma: boolean): number | null {
  const normalised = decimalComma && /^-?\d+,\d+$/.test(text) ? text.replace(",", ".") : text;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}

/** The delimiter after the first header cell: REDCap writes `,`; Excel in many European locales saves `;`. */
function delimiterOf(text: string): string {
  const match = /^"?variable\s*\/\s*field\s*name"?\s*([,;\t])/i.exec(text);
  return match?.[1] ?? ",";
}

function readHeader(
  header: string[],
): { ok: true; index: Partial<Record<Key, number>> } | { ok: false; problems: { row: number; column: string; message: string }[] } {
  const squeezed = header.map((h) => h.toLowerCase().replace(/\s+/g, ""));
  const index: Partial<Record<Key, number>> = {};
  for (const [key, start] of HEADER_STARTS) {
    const at = squeezed.findIndex((h) => h.startsWith(start));
    if (at >= 0) index[key] = at;
  }
  const missing = REQUIRED.filter((key) => index[key] === undefined);
  if (missing.length === 0) return { ok: true, index };
  const names = missing.map((key) => `“${REQUIRED_NAMES[key]}”`).join(", ");
  return {
    ok: false,
    problems: [
      {
        row: 1,
        column: "",
        message: `This is not a REDCap data dictionary: the header has no ${names} column (a dictionary starts “Variable / Field Name, Form Name, Section Header, Field Type, Field Label, …”).`,
      },
    ],
  };
}

/**
 * A panel as a REDCap data dictionary: numeric biomarkers as text fields
 * validated as numbers (integer for integers) with the unit in the label and
 * the field note and the plausible range as validation min/max; categories
 * with their choices as dropdowns; the LOINC code in the field annotation.
 * A record_id field comes first, as REDCap requires.
 */
export function redcapDictionaryCsv(biomarkers: BiomarkerDefinition[], formName: string): string {
  const form =
    formName
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 50) || "panel";
  const line = (cells: Partial<Record<(typeof REDCAP_COLUMNS)[number], string | number | null>>) =>
    REDCAP_COLUMNS.map((c) => cells[c] ?? null);
  const rows = biomarkers.map((b) => {
    const choices = b.valueType === "category" ? b.categories : [];
    const numeric = b.valueType === "numeric" || b.valueType === "integer";
    return line({
      "Variable / Field Name": b.code,
      "Form Name": form,
      "Field Type": choices.length ? "dropdown" : b.valueType === "category" ? "text" : numeric ? "text" : "notes",
      "Field Label": b.unit ? `${b.label} (${b.unit})` : b.label,
      "Choices, Calculations, OR Slider Labels": choices.length ? formatCategories(choices) : null,
      "Field Note": b.unit || null,
      "Text Validation Type OR Show Slider Number": numeric ? (b.valueType === "integer" ? "integer" : "number") : null,
      "Text Validation Min": numeric ? b.plausibleMin : null,
      "Text Validation Max": numeric ? b.plausibleMax : null,
      "Field Annotation": b.loinc ? `LOINC ${b.loinc}` : null,
    });
  });
  const recordId = line({ "Variable / Field Name": "record_id", "Form Name": form, "Field Type": "text", "Field Label": "Record ID" });
  return toSafeCsv([[...REDCAP_COLUMNS], recordId, ...rows]);
}
