/**
 * A REDCap records export (raw CSV: the record id first, then for
 * longitudinal projects `redcap_event_name`, and `redcap_repeat_instrument` /
 * `redcap_repeat_instance` when instruments repeat) read with its data
 * dictionary, or with the panel imported from that dictionary, into the rows
 * the dataset importer reads (clinical-records.ts does the shared part).
 *
 * The delimiter is the character after the first header cell, as for the
 * dictionary (decision 026): `,` as REDCap writes it, `;` or a tab as its
 * export options or a European Excel write it. A decimal comma is read only
 * in a file that is not comma-separated, and only in fields the dictionary
 * makes numbers: there it cannot be a thousands separator (decision 008's
 * worry). Pure (no I/O).
 */
import { parse } from "csv-parse/sync";
import { type ClinicalRecord, type RecordField, type RecordsTable, type RepeatRule, recordsToTable } from "./clinical-records.ts";
import { DatasetFileError } from "./dataset-files.ts";
import { isMissing } from "./dataset-values.ts";
import type { Category } from "./categories.ts";
import type { ValueType } from "./panels.ts";
import { type Choice, parseChoices, unitOfField } from "./panel-proposal.ts";
import { isNumericValidation, readDictionaryFields } from "./redcap-dictionary.ts";

const EVENT = "redcap_event_name";
const REPEAT_INSTRUMENT = "redcap_repeat_instrument";
const REPEAT_INSTANCE = "redcap_repeat_instance";

/** What the study's panel knows of a field, when no dictionary came with the records. */
export interface PanelFieldRef {
  code: string;
  unit: string;
  valueType: ValueType;
  aliases: string[];
  categories: Category[];
}

export interface RedcapFields {
  fields: Map<string, RecordField>;
  /** The dictionary's first field: REDCap's record id. */
  recordId: string | null;
}

function delimiterOf(text: string): string {
  const match = /^"?[^",;\t\r\n]*"?([,;\t])/.exec(text);
  return match?.[1] ?? ",";
}

/** Whether a CSV's header is a REDCap records export's: the record id first and REDCap's own columns. */
export function looksLikeRedcapRecords(text: string): boolean {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const cells = firstLine.split(delimiterOf(firstLine)).map((c) => c.replace(/^"|"$/g, "").trim().toLowerCase());
  return cells[0] === "record_id" && cells.some((c) => c.startsWith("redcap_"));
}

const YES_NO: Choice[] = [
  { code: "1", label: "Yes" },
  { code: "0", label: "No" },
];
const TRUE_FALSE: Choice[] = [
  { code: "1", label: "True" },
  { code: "0", label: "False" },
];

/** The fields of a REDCap data dictionary (the `dictionary` file of an upload). */
export function fieldsFromDictionary(text: string): RedcapFields {
  const read = readDictionaryFields(text);
  if (!read.ok) throw new DatasetFileError(`The dictionary cannot be read: ${read.message}`, { column: "dictionary" });
  const fields = new Map<string, RecordField>();
  for (const [i, f] of read.fields.entries()) {
    if (i === 0 || fields.has(f.variable)) continue;
    const base = { name: f.variable, unit: null, choices: [] as Choice[] };
    const drop = (reason: string) => fields.set(f.variable, { ...base, kind: "dropped", reason });
    if (f.identifier === "y") {
      drop("marked as an identifier: personal data stays out of datasets");
      continue;
    }
    switch (f.type) {
      case "descriptive":
        continue;
      case "file":
        drop("a file upload");
        continue;
      case "calc":
      case "slider":
        fields.set(f.variable, { ...base, kind: "number", unit: unitOfField(f.label, f.note)?.unit ?? null });
        continue;
      case "text":
        if (isNumericValidation(f.validation))
          fields.set(f.variable, { ...base, kind: "number", unit: unitOfField(f.label, f.note)?.unit ?? null });
        else fields.set(f.variable, { ...base, kind: "text" });
        continue;
      case "radio":
      case "dropdown":
      case "checkbox": {
        const parsed = parseChoices(f.choices);
        if (!parsed.ok) {
          // One odd field never fails the file: its codes are kept as they are.
          fields.set(f.variable, { ...base, kind: "text" });
          continue;
        }
        fields.set(f.variable, { ...base, kind: f.type === "checkbox" ? "checkbox" : "choice", choices: parsed.choices });
        continue;
      }
      case "yesno":
        fields.set(f.variable, { ...base, kind: "choice", choices: YES_NO });
        continue;
      case "truefalse":
        fields.set(f.variable, { ...base, kind: "choice", choices: TRUE_FALSE });
        continue;
      default:
        fields.set(f.variable, { ...base, kind: "text" });
    }
  }
  return { fields, recordId: read.fields[0].variable };
}

/**
 * The fields the study's panel knows (by code and alias): numbers with their unit, category
 * biomarkers with their categories, so coded values read as labels. Other columns are read as they are.
 */
export function fieldsFromPanel(biomarkers: PanelFieldRef[]): RedcapFields {
  const fields = new Map<string, RecordField>();
  for (const b of biomarkers) {
    const numeric = b.valueType === "numeric" || b.valueType === "integer";
    const choices = b.valueType === "category" ? b.categories : [];
    for (const name of [b.code, ...b.aliases]) {
      if (fields.has(name)) continue;
      if (numeric) fields.set(name, { name, kind: "number", unit: b.unit || null, choices: [] });
      else if (choices.length) fields.set(name, { name, kind: "choice", unit: null, choices });
    }
  }
  return { fields, recordId: null };
}

/** A records export → the importer's header and rows. `text` is decoded UTF-8 (a BOM is fine). */
export function readRedcapRecords(text: string, known: RedcapFields, options: { repeats: RepeatRule }): RecordsTable {
  const body = text.replace(/^\uFEFF/, "");
  const delimiter = delimiterOf(body);
  let rows: string[][];
  try {
    rows = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: false });
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    throw new DatasetFileError(`Row ${lines ?? 1}: the records export cannot be read as CSV (${message}).`, { row: lines ?? 1 });
  }
  const [rawHeader, ...data] = rows;
  const header = (rawHeader ?? []).map((h) => h.trim());
  if (header.length === 0 || header.every((h) => h === "")) throw new DatasetFileError("The records export has no header row.", { row: 1 });
  const idColumn =
    known.recordId && header.includes(known.recordId) ? known.recordId : header.includes("record_id") ? "record_id" : header[0];
  const at = new Map(header.map((name, i) => [name, i]));
  header.forEach((name, i) => {
    if (name === "") throw new DatasetFileError(`Column ${i + 1} of the header (row 1) has no name.`, { row: 1, column: `#${i + 1}` });
    if (at.get(name) !== i) throw new DatasetFileError(`The header names column “${name}” twice.`, { row: 1, column: name });
  });

  const fields = new Map(known.fields);
  const fieldOrder: string[] = [];
  for (const name of header) {
    if (name === idColumn || name === EVENT || name === REPEAT_INSTRUMENT || name === REPEAT_INSTANCE) continue;
    fieldOrder.push(name);
    const checkbox = /^(.+)___(.+)$/.exec(name);
    const base = checkbox ? fields.get(checkbox[1]) : undefined;
    // The panel keeps a checkbox field as a category: its `___code` columns say it is a checkbox.
    if (checkbox && base?.kind === "choice") fields.set(checkbox[1], { ...base, kind: "checkbox" });
    if (fields.has(name) || (checkbox && fields.has(checkbox[1]))) continue;
    if (name.startsWith("redcap_")) fields.set(name, { name, kind: "dropped", unit: null, choices: [], reason: "a REDCap system column" });
    else if (/_complete$/.test(name)) fields.set(name, { name, kind: "dropped", unit: null, choices: [], reason: "REDCap's form status" });
  }

  const records: ClinicalRecord[] = [];
  for (const [i, cells] of data.entries()) {
    const row = i + 2;
    if (cells.every((c) => c.trim() === "")) continue;
    if (cells.length !== header.length && !cells.slice(header.length).every((c) => c.trim() === "")) {
      throw new DatasetFileError(
        `Row ${row} has ${cells.length} cells, but the header has ${header.length} columns (a missing or extra delimiter).`,
        { row },
      );
    }
    const cell = (name: string) => (at.has(name) ? (cells[at.get(name)!] ?? "").trim() : "");
    const where = `Row ${row}`;
    const instanceText = cell(REPEAT_INSTANCE);
    let instance: number | null = null;
    if (instanceText !== "") {
      if (!/^\d+$/.test(instanceText) || Number(instanceText) < 1) {
        throw new DatasetFileError(`${where}, field “${REPEAT_INSTANCE}”: “${instanceText}” is not a repeat instance (1, 2, …).`, {
          row,
          column: REPEAT_INSTANCE,
        });
      }
      instance = Number(instanceText);
    }
    const instrument = cell(REPEAT_INSTRUMENT) || null;
    if (instrument && instance === null) {
      throw new DatasetFileError(`${where}, field “${REPEAT_INSTANCE}”: a repeated instrument (${instrument}) needs its instance number.`, {
        row,
        column: REPEAT_INSTANCE,
      });
    }
    if (at.has(EVENT) && cell(EVENT) === "") {
      throw new DatasetFileError(`${where}, field “${EVENT}”: the event is empty.`, { row, column: EVENT });
    }
    const values = new Map<string, string>();
    for (const name of fieldOrder) {
      const value = cell(name);
      // REDCap's missing-data codes and the usual spellings of "missing" are blanks, not values.
      values.set(name, isMissing(value) ? "" : value);
    }
    records.push({ row, where, participant: cell(idColumn), event: at.has(EVENT) ? cell(EVENT) : null, instance, instrument, values });
  }
  const table = recordsToTable(fieldOrder, fields, records, { repeats: options.repeats, decimalComma: delimiter !== "," });
  if (idColumn !== "record_id" && idColumn !== known.recordId)
    table.notes.push(`The first column, “${idColumn}”, is taken as the record id.`);
  return table;
}
