/**
 * A panel's data dictionary as CSV, both ways: biomarkers → a file a
 * spreadsheet opens safely, and a file → biomarkers checked row by row by the
 * caller's check (the API's own rules, `checkBiomarkerRow` in
 * app/schemas/panels.ts), with every problem pointed at by row and column.
 * Rows are numbered as a spreadsheet shows them: the header is row 1, the
 * first biomarker row 2. Pure (no I/O).
 */
import { parse } from "csv-parse/sync";
import { biomarkerAsText } from "./biomarker-text.ts";
import { formatCategories, liftChoicesLine } from "./categories.ts";
import type { BiomarkerDefinition } from "./default-panel.ts";
import { columnOfField, DICTIONARY_COLUMNS } from "./dictionary-columns.ts";
import { restoreNeutralised, toSafeCsv } from "./spreadsheet-safety.ts";

export interface DictionaryProblem {
  row: number;
  column: string;
  message: string;
}

export type DictionaryParse<T> = { ok: true; biomarkers: T[] } | { ok: false; problems: DictionaryProblem[] };

/** Checks one row's fields (by field name) as the API would check a biomarker. */
export type BiomarkerRowCheck<T> = (
  input: Record<string, string>,
) => { ok: true; biomarker: T } | { ok: false; issues: { field: string; message: string }[] };

/** Beyond this many, a report stops listing problems (the file is probably not a dictionary at all). */
export const MAX_REPORTED_PROBLEMS = 200;

export function dictionaryCsv(biomarkers: BiomarkerDefinition[]): string {
  const rows = biomarkers.map((b) => {
    const cells: Record<string, string> = biomarkerAsText(b);
    return DICTIONARY_COLUMNS.map((c) => cells[c.field]);
  });
  return toSafeCsv([DICTIONARY_COLUMNS.map((c) => c.name), ...rows]);
}

export function parseDictionaryCsv<T extends { code: string }>(text: string, check: BiomarkerRowCheck<T>): DictionaryParse<T> {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    return { ok: false, problems: [{ row: lines ?? 1, column: "", message: `The file is not readable as CSV: ${message}` }] };
  }
  const [header, ...rows] = records;
  if (!header)
    return {
      ok: false,
      problems: [{ row: 1, column: "", message: "The file is empty: it needs a header row and one row per biomarker." }],
    };

  const columns = readHeader(header);
  if (!columns.ok) return { ok: false, problems: columns.problems };

  const problems: DictionaryProblem[] = [];
  const biomarkers: T[] = [];
  const rowOfCode = new Map<string, number>();
  rows.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === "")) return;
    if (cells.length > header.length) {
      problems.push({ row, column: "", message: `This row has ${cells.length} cells but the header names ${header.length} columns.` });
      return;
    }
    const input: Record<string, string> = {};
    columns.fields.forEach((field, i) => {
      if (field) input[field] = restoreNeutralised(cells[i] ?? "").trim();
    });
    if (input.valueType === "") delete input.valueType;
    if (!columns.fields.includes("categories")) liftChoicesInto(input);
    const result = check(input);
    if (!result.ok) {
      const seen = new Set<string>();
      for (const issue of result.issues) {
        const column = columnOfField(issue.field);
        const key = `${column}|${issue.message}`;
        if (!seen.has(key)) problems.push({ row, column, message: issue.message });
        seen.add(key);
      }
      return;
    }
    const { code } = result.biomarker;
    const earlier = rowOfCode.get(code);
    if (earlier !== undefined) {
      problems.push({ row, column: "code", message: `The code “${code}” is already used on row ${earlier}; codes are unique in a panel.` });
      return;
    }
    rowOfCode.set(code, row);
    biomarkers.push(result.biomarker);
  });

  if (problems.length) return { ok: false, problems };
  if (biomarkers.length === 0) {
    return { ok: false, problems: [{ row: 2, column: "", message: "The file has a header but no biomarker rows." }] };
  }
  return { ok: true, biomarkers };
}

/**
 * A file exported before categories had their column keeps them in the
 * description (`Choices: 1, Male | 2, Female`, decision 026); read as the
 * database migration read the panel, it imports back to the same categories.
 */
function liftChoicesInto(input: Record<string, string>) {
  if (input.valueType !== "category" || !input.description) return;
  const lifted = liftChoicesLine(input.description);
  if (!lifted) return;
  input.categories = formatCategories(lifted.categories);
  input.description = lifted.description;
}

/** “row 4, column unit: …”: one problem as a sentence. */
export function describeProblem(problem: DictionaryProblem): string {
  return `row ${problem.row}${problem.column ? `, column ${problem.column}` : ""}: ${problem.message}`;
}

function readHeader(header: string[]): { ok: true; fields: (string | null)[] } | { ok: false; problems: DictionaryProblem[] } {
  const problems: DictionaryProblem[] = [];
  const names = header.map((h) => h.trim().toLowerCase());
  const fields = names.map((name) => {
    const column = DICTIONARY_COLUMNS.find((c) => c.name === name);
    if (!column) {
      problems.push({
        row: 1,
        column: name,
        message: `“${name}” is not a data-dictionary column; the columns are ${DICTIONARY_COLUMNS.map((c) => c.name).join(", ")}.`,
      });
      return null;
    }
    return column.field;
  });
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) problems.push({ row: 1, column: name, message: `The column “${name}” appears twice in the header.` });
  });
  for (const column of DICTIONARY_COLUMNS.filter((c) => c.required)) {
    if (!names.includes(column.name))
      problems.push({ row: 1, column: column.name, message: `The header has no “${column.name}” column, which is required.` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, fields };
}
