/**
 * Clinical records (a REDCap records export, the ClinicalData of a CDISC ODM
 * file) → the header and rows the dataset importer reads, so that column
 * matching, unit conversion, validation and all-or-nothing stay the ones
 * every CSV upload goes through (decisions 008, 026, 030).
 *
 * Both readers first turn their file into `ClinicalRecord`s (one per record,
 * event and repeat instance, holding raw text) and a list of `RecordField`s
 * (what the dictionary or metadata says each field is). This module does the
 * rest: a participant id column, a visit column (raw event names; the column
 * mapping turns them into visit labels), repeated instruments kept as rows
 * with an instance column or reduced, checkbox columns spread into one 0/1
 * column per option named by its label, coded values replaced by their
 * labels, numbers checked, and each numeric field's unit written into its
 * header. A value that does not fit its field fails the file naming the row
 * and field. Pure (no I/O).
 */
import type { ColumnMapping } from "./dataset-columns.ts";
import { splitHeaderUnit } from "./dataset-columns.ts";
import { DatasetFileError } from "./dataset-files.ts";
import type { SourceRecord } from "./dataset-table.ts";
import type { Choice } from "./panel-proposal.ts";
import { normaliseUnit } from "./units.ts";

export const REPEAT_RULES = ["rows", "first", "last", "mean"] as const;
/** Repeated instruments: kept as rows (with an instance column), or one value per visit: the first, the last, or the mean of numbers. */
export type RepeatRule = (typeof REPEAT_RULES)[number];

export type RecordsSource = "redcap" | "odm";

/** What the upload page needs to offer the event → visit mapping and the repeat choice. */
export interface RecordsInfo {
  source: RecordsSource;
  dictionary: "file" | "panel" | "metadata";
  visitColumn: string | null;
  events: { event: string; visit: string }[];
  repeatedInstruments: string[];
  repeats: RepeatRule;
  notes: string[];
}

export interface RecordField {
  name: string;
  kind: "number" | "choice" | "checkbox" | "text" | "dropped";
  /** UCUM unit of a number, from the dictionary. */
  unit: string | null;
  choices: Choice[];
  /** Why a dropped field is left out (identifiers, descriptive fields, form status). */
  reason?: string;
}

export interface ClinicalRecord {
  /** The row the record starts on, numbered as a spreadsheet does (header = 1); for XML, its position in the file. */
  row: number;
  /** How to point at the record in a message: "Row 5" or "SubjectData 1002, StudyEventData SE.WEEK12". */
  where: string;
  participant: string;
  event: string | null;
  /** The repeat instance (1, 2, …) of a repeated instrument or event; null for the record's main row. */
  instance: number | null;
  /** The instrument that repeats on this row, if it is a repeated instrument's row. */
  instrument: string | null;
  /** Raw values by the source's column name (a checkbox option as `field___code`). */
  values: Map<string, string>;
}

export interface RecordsTable {
  header: string[];
  records: SourceRecord[];
  /** Roles and units the transform knows; the user's mapping is laid over it. */
  mapping: ColumnMapping;
  /** Raw event names in order of first appearance (what the user maps to visit labels). */
  events: string[];
  /** Instruments that repeat (empty when none). */
  repeatedInstruments: string[];
  /** Things left out or read specially, for the person uploading. */
  notes: string[];
}

export const PARTICIPANT_COLUMN = "participant_id";
export const INSTANCE_COLUMN = "instance";

/** A number as the export writes it; with `decimalComma`, "0,5" too. Returns the dot form, or null if it is not a number. */
export function normaliseNumber(text: string, decimalComma: boolean): string | null {
  const value = decimalComma && /^[-+]?\d*,\d+$/.test(text) ? text.replace(",", ".") : text;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) return null;
  return Number.isFinite(Number(value)) ? value : null;
}

/** A header that carries the field's unit in a form the dataset importer reads back ("crp (mg/L)", "sbp (mmHg)"). */
export function headerWithUnit(name: string, unit: string | null): string {
  if (!unit) return name;
  for (const spelled of [unit, unit.replace(/\[([^\]]+)\]/g, "$1")]) {
    const header = `${name} (${spelled})`;
    const read = splitHeaderUnit(header);
    if (read.name === name && read.unit && normaliseUnit(read.unit) === normaliseUnit(unit)) return header;
  }
  return name;
}

interface OutputColumn {
  header: string;
  /** Reads the column's cell of one record (already checked). */
  read: (record: ClinicalRecord) => string;
  numeric: boolean;
  /** The dictionary's unit of a number (kept in the mapping when the header cannot carry it). */
  unit?: string | null;
}

function fail(record: ClinicalRecord, field: string, message: string): never {
  throw new DatasetFileError(`${record.where}, field “${field}”: ${message}`, { row: record.row, column: field });
}

const codesOf = (choices: Choice[]) =>
  choices
    .slice(0, 8)
    .map((c) => `${c.code} = ${c.label}`)
    .join(", ") + (choices.length > 8 ? ", …" : "");

/**
 * The table of a set of records. `fieldOrder` is the order of the source's
 * columns (a checkbox option as `field___code`); `fields` says what each is.
 */
export function recordsToTable(
  fieldOrder: string[],
  fields: Map<string, RecordField>,
  records: ClinicalRecord[],
  options: { repeats: RepeatRule; decimalComma: boolean },
): RecordsTable {
  if (records.length === 0) throw new DatasetFileError("The export holds no records.", { row: 2 });
  const notes: string[] = [];
  const columns: OutputColumn[] = [];
  const used = new Set<string>();
  const unique = (name: string) => {
    let candidate = name;
    for (let n = 2; used.has(candidate); n++) candidate = `${name} (${n})`;
    used.add(candidate);
    return candidate;
  };
  unique(PARTICIPANT_COLUMN);
  const events = [...new Set(records.map((r) => r.event).filter((e): e is string => e !== null && e !== ""))];
  const repeatedInstruments = [...new Set(records.map((r) => r.instrument).filter((i): i is string => Boolean(i)))];
  const hasRepeats = records.some((r) => r.instance !== null);
  const visitHeader = events.length > 0 ? unique("visit") : null;
  const instanceHeader = hasRepeats && options.repeats === "rows" ? unique(INSTANCE_COLUMN) : null;

  const dropped: string[] = [];
  const seenCheckbox = new Set<string>();
  for (const source of fieldOrder) {
    const checkbox = /^(.+)___(.+)$/.exec(source);
    const base = checkbox && fields.get(checkbox[1])?.kind === "checkbox" ? checkbox[1] : source;
    const field = fields.get(base);
    if (!field) {
      columns.push({ header: unique(source), read: (r) => (r.values.get(source) ?? "").trim(), numeric: false });
      continue;
    }
    if (field.kind === "dropped") {
      dropped.push(`${field.name} (${field.reason ?? "left out"})`);
      continue;
    }
    if (field.kind === "checkbox") {
      if (!checkbox) continue; // REDCap never writes a checkbox field under its own name
      const code = checkbox[2];
      // REDCap writes a code with "-" or "." as "_" in the column name: match either spelling.
      const choice = field.choices.find(
        (c) => c.code === code || c.code.replace(/[^A-Za-z0-9]/g, "_").toLowerCase() === code.toLowerCase(),
      );
      if (!choice) {
        throw new DatasetFileError(
          `Row 1, column “${source}”: the checkbox field “${field.name}” has no option “${code}” in the dictionary (${codesOf(field.choices)}).`,
          { row: 1, column: source },
        );
      }
      seenCheckbox.add(field.name);
      columns.push({
        header: unique(`${field.name}: ${choice.label}`),
        numeric: true,
        read: (r) => {
          const raw = (r.values.get(source) ?? "").trim();
          if (raw === "" || raw === "0" || raw === "1") return raw;
          if (/^checked$/i.test(raw)) return "1";
          if (/^unchecked$/i.test(raw)) return "0";
          return fail(r, source, `“${raw}” is not a checkbox value (0 or 1).`);
        },
      });
      continue;
    }
    if (field.kind === "choice") {
      columns.push({
        header: unique(field.name),
        numeric: false,
        read: (r) => {
          const raw = (r.values.get(source) ?? "").trim();
          if (raw === "") return "";
          const choice = field.choices.find((c) => c.code === raw);
          if (choice) return choice.label;
          // A "label" export already holds the label; keep it rather than refuse it.
          if (field.choices.some((c) => c.label === raw)) return raw;
          return fail(r, field.name, `“${raw}” is not one of its codes (${codesOf(field.choices)}).`);
        },
      });
      continue;
    }
    if (field.kind === "number") {
      columns.push({
        header: unique(headerWithUnit(field.name, field.unit)),
        numeric: true,
        unit: field.unit,
        read: (r) => {
          const raw = (r.values.get(source) ?? "").trim();
          if (raw === "") return "";
          const value = normaliseNumber(raw, options.decimalComma);
          if (value === null) {
            const hint =
              !options.decimalComma && /^-?\d+,\d+$/.test(raw) ? " (a decimal comma in a comma-separated file is ambiguous)" : "";
            return fail(r, field.name, `“${raw}” is not a number${hint}; the dictionary makes it a number.`);
          }
          return value;
        },
      });
      continue;
    }
    columns.push({ header: unique(field.name), read: (r) => (r.values.get(source) ?? "").trim(), numeric: false });
  }
  if (dropped.length) notes.push(`Left out: ${dropped.join("; ")}.`);

  const grouped = groupRows(records, options.repeats, hasRepeats, repeatedInstruments.length > 1);
  const header = [
    PARTICIPANT_COLUMN,
    ...(visitHeader ? [visitHeader] : []),
    ...(instanceHeader ? [instanceHeader] : []),
    ...columns.map((c) => c.header),
  ];
  const out: SourceRecord[] = [];
  for (const group of grouped) {
    const first = group.rows[0];
    const cells = columns.map((column) => combine(group.rows, column, options.repeats));
    out.push({
      row: first.row,
      cells: [first.participant, ...(visitHeader ? [first.event ?? ""] : []), ...(instanceHeader ? [group.instance] : []), ...cells],
    });
  }
  const mapping: ColumnMapping = { [PARTICIPANT_COLUMN]: { role: "participant_id" } };
  if (visitHeader) mapping[visitHeader] = { role: "visit" };
  if (instanceHeader) mapping[instanceHeader] = { role: "instance" };
  for (const column of columns) {
    // A unit the header cannot carry goes in the mapping, so the import still converts it.
    if (column.unit && splitHeaderUnit(column.header).unit === null) mapping[column.header] = { unit: column.unit };
  }
  if (hasRepeats && options.repeats !== "rows") {
    notes.push(
      `Repeated ${repeatedInstruments.length ? `instruments (${repeatedInstruments.join(", ")})` : "events"} reduced to one row per visit: ${
        options.repeats === "mean" ? "the mean of numbers, the last of other values" : `the ${options.repeats} instance`
      }.`,
    );
  }
  return { header, records: out, mapping, events, repeatedInstruments, notes };
}

interface RowGroup {
  /** The instance cell: the repeat number, with the instrument's name when several instruments repeat. */
  instance: string;
  rows: ClinicalRecord[];
}

/**
 * One group per output row. Kept as rows: a record's main row per event, and one row per repeat
 * instance. Reduced: every row of a record and event together. The same record, event, instrument
 * and instance twice is refused, naming both rows.
 */
function groupRows(records: ClinicalRecord[], rule: RepeatRule, hasRepeats: boolean, severalInstruments: boolean): RowGroup[] {
  const keepApart = hasRepeats && rule === "rows";
  const groups = new Map<string, RowGroup>();
  for (const record of records) {
    if (record.participant === "") fail(record, "record_id", "the record id is empty.");
    const instance =
      record.instance === null
        ? ""
        : severalInstruments && record.instrument
          ? `${record.instrument} ${record.instance}`
          : String(record.instance);
    const key = JSON.stringify([record.participant, record.event ?? "", keepApart ? instance : ""]);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { instance: keepApart ? instance : "", rows: [record] });
      continue;
    }
    const clash = group.rows.find((r) => r.instance === record.instance && r.instrument === record.instrument);
    if (keepApart || clash) {
      const first = clash ?? group.rows[0];
      fail(
        record,
        "record_id",
        `record “${record.participant}” appears twice for the same event${record.instance === null ? "" : " and instance"} (first on ${first.where.replace(/^Row/, "row")}).`,
      );
    }
    group.rows.push(record);
  }
  return [...groups.values()];
}

/** One cell from a group's rows: the only value, or the rule's pick among repeat instances. */
function combine(rows: ClinicalRecord[], column: OutputColumn, rule: RepeatRule): string {
  if (rows.length === 1) return column.read(rows[0]);
  const values = rows
    .slice()
    .sort((a, b) => (a.instance ?? 0) - (b.instance ?? 0))
    .map((r) => column.read(r))
    .filter((v) => v !== "");
  if (values.length === 0) return "";
  if (rule === "first") return values[0];
  if (rule === "mean" && column.numeric) {
    const mean = values.reduce((sum, v) => sum + Number(v), 0) / values.length;
    return String(Number(mean.toPrecision(12)));
  }
  return values[values.length - 1];
}
