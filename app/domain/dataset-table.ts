/**
 * Turns a file's records into a harmonised table, refusing the whole file at
 * the first cell that cannot be imported (with its row and column). Rows are
 * numbered as a spreadsheet shows them: the header is row 1.
 *
 * Values outside a biomarker's plausible range are kept and flagged, never
 * dropped. Columns not matched to the panel stay as they are: numeric when
 * every value is a number, else text.
 *
 * The table is held by column, numbers in Float64Arrays (NaN for a missing
 * value: a cell never holds NaN itself, "NaN" is a spelling of missing): a
 * 100,000 × 20 file is two million cells, and an array per row with a boxed
 * number per decimal cost the import worker more in allocation and garbage
 * collection than reading the file did (docs/bench/import.md). Rows are only
 * built for callers that ask for them (`finish`); an import writes each row's
 * JSON straight from the columns (`finishColumns`).
 */
import type { DatasetColumn, DatasetKind, DatasetWarning } from "./datasets.ts";
import type { ColumnSummary } from "./datasets.ts";
import type { ColumnPlan } from "./dataset-columns.ts";
import { DATASET_LIMITS, DatasetFileError } from "./dataset-files.ts";
import { summariseColumn } from "./dataset-summary.ts";
import { harmonise, parseNumber, readNumber, readText } from "./dataset-values.ts";
import { orderVisits, visitLabel } from "./dataset-visits.ts";

export interface SourceRecord {
  /** Spreadsheet row number (header = 1). */
  row: number;
  cells: string[];
}

export type CellValue = number | string | null;

export interface HarmonisedRow {
  participantId: string | null;
  arm: string | null;
  values: CellValue[];
}

export interface HarmonisedTable {
  columns: DatasetColumn[];
  rows: HarmonisedRow[];
  warnings: DatasetWarning[];
  summary: ColumnSummary[];
}

const MAX_ROWS_LISTED = 10;

/** How a kept column is read: as a number (a numeric biomarker), as text, or as both until the file says which (an unmatched column). */
const NUMBER = 0;
const TEXT = 1;
const LOOSE = 2;

/** A finished column: numbers (NaN = missing) or texts (null = missing). */
export type ColumnValues = Float64Array | (string | null)[];

/** The finished table held by column; its rows are read one at a time, in the form they are stored. */
export class HarmonisedColumns {
  /** Refilled for each row's JSON (valuesJson). */
  private readonly scratch: CellValue[];

  constructor(
    readonly columns: DatasetColumn[],
    readonly warnings: DatasetWarning[],
    readonly summary: ColumnSummary[],
    readonly rowCount: number,
    private readonly values: ColumnValues[],
    private readonly idColumn: number,
    private readonly armColumn: number,
  ) {
    this.scratch = new Array(values.length).fill(null);
  }

  participantId(i: number): string | null {
    return this.idColumn === -1 ? null : (this.values[this.idColumn] as (string | null)[])[i];
  }

  arm(i: number): string | null {
    return this.armColumn === -1 ? null : (this.values[this.armColumn] as (string | null)[])[i];
  }

  value(k: number, i: number): CellValue {
    const column = this.values[k];
    if (column instanceof Float64Array) {
      const v = column[i];
      return Number.isNaN(v) ? null : v;
    }
    return column[i];
  }

  /**
   * Row i's values as the JSON text stored. One array is refilled for every row: JSON.stringify of an
   * array is faster than building the text by hand, and the array is never kept.
   */
  valuesJson(i: number): string {
    const scratch = this.scratch;
    for (let k = 0; k < scratch.length; k++) scratch[k] = this.value(k, i);
    return JSON.stringify(scratch);
  }

  row(i: number): HarmonisedRow {
    const values: CellValue[] = new Array(this.values.length);
    for (let k = 0; k < this.values.length; k++) values[k] = this.value(k, i);
    return { participantId: this.participantId(i), arm: this.arm(i), values };
  }
}

export class DatasetTableBuilder {
  private readonly kept: ColumnPlan[];
  private readonly idColumn: number;
  private readonly armColumn: number;
  private readonly mode: number[];
  /** Per kept column: its numbers (NUMBER, and LOOSE while every value so far is one), else null. */
  private readonly numbers: (Float64Array | null)[];
  /** Per kept column: its texts (TEXT and LOOSE), else null. */
  private readonly texts: ((string | null)[] | null)[];
  private count = 0;
  private capacity: number;
  private readonly visitColumn: number;
  private readonly instanceColumn: number;
  /** Per kept column, the visits at which it has a value (a dataset with a visit column only). */
  private readonly visitsSeen: Set<string>[];
  private readonly visitOrder: string[] = [];
  private readonly seenIds = new Map<string, number>();
  private readonly flagged: number[][];
  private skippedEmpty = 0;

  /** `expectedRows`: about how many rows are coming (a CSV's line count), so the columns are sized once instead of grown. */
  constructor(
    plans: ColumnPlan[],
    private readonly kind: DatasetKind,
    private readonly headerLength: number,
    expectedRows = 0,
  ) {
    this.capacity = Math.max(1024, expectedRows);
    this.kept = plans.filter((p) => !p.ignored);
    this.idColumn = this.kept.findIndex((p) => p.role === "participant_id");
    this.armColumn = this.kept.findIndex((p) => p.role === "arm");
    this.visitColumn = this.kept.findIndex((p) => p.role === "visit");
    this.instanceColumn = this.kept.findIndex((p) => p.role === "instance");
    this.visitsSeen = this.kept.map(() => new Set());
    if (kind === "participant" && this.idColumn === -1) {
      throw new DatasetFileError(
        "No participant id column: participant-level data needs one. Name a column “participant_id” (or “id”), " +
          "or map a column to the role participant_id. For one row per arm or subgroup, upload it as a summary-level dataset.",
        { row: 1 },
      );
    }
    this.mode = this.kept.map((p) => (p.role === "value" ? LOOSE : p.role === "biomarker" && p.valueType !== "text" ? NUMBER : TEXT));
    this.numbers = this.mode.map((m) => (m === TEXT ? null : new Float64Array(this.capacity)));
    this.texts = this.mode.map((m) => (m === NUMBER ? null : []));
    this.flagged = this.kept.map(() => []);
  }

  get rowCount(): number {
    return this.count;
  }

  add(record: SourceRecord): void {
    const { row, cells } = record;
    // A blank line (or a row of empty cells) is skipped, not a ragged row.
    if (cells.every((c) => c.trim() === "")) {
      this.skippedEmpty++;
      return;
    }
    if (cells.length !== this.headerLength) {
      const extraAreEmpty = cells.length > this.headerLength && cells.slice(this.headerLength).every((c) => c.trim() === "");
      if (!extraAreEmpty) {
        throw new DatasetFileError(
          `Row ${row} has ${cells.length} ${cells.length === 1 ? "cell" : "cells"}, but the header has ${this.headerLength} columns ` +
            "(a missing or extra delimiter, or an unquoted comma inside a value).",
          { row },
        );
      }
    }
    if (this.count === this.capacity) this.grow();
    // Written at this row's index, not appended: a row refused half-way is overwritten by the next one.
    const at = this.count;
    for (let k = 0; k < this.kept.length; k++) {
      const plan = this.kept[k];
      const raw = cells[plan.index] ?? "";
      if (raw.length > DATASET_LIMITS.maxCellChars) {
        throw new DatasetFileError(
          `Row ${row}, column “${plan.name}”: the cell has ${raw.length} characters; at most ${DATASET_LIMITS.maxCellChars} are allowed.`,
          { row, column: plan.name },
        );
      }
      const mode = this.mode[k];
      if (mode === NUMBER) {
        (this.numbers[k] as Float64Array)[at] = this.readBiomarker(plan, k, raw, row);
        continue;
      }
      // Unmatched columns keep their text until every row is in; finishing decides their type.
      const numbers = this.numbers[k];
      if (mode === LOOSE && numbers !== null) {
        const value = readNumber(raw);
        if (value === undefined) this.numbers[k] = null;
        else numbers[at] = value ?? Number.NaN;
      }
      const text = readText(raw);
      // A visit is stored by its label (decision 030), so every later check and the stored row see the same value.
      (this.texts[k] as (string | null)[])[at] = text !== null && plan.role === "visit" ? visitLabel(text, plan.visitLabels ?? {}) : text;
    }
    if (this.visitColumn !== -1) this.noteVisit(at, row);
    if (this.idColumn !== -1 && this.kind === "participant") {
      const id = this.textAt(this.idColumn, at);
      const column = this.kept[this.idColumn].name;
      if (id === null) throw new DatasetFileError(`Row ${row}, column “${column}”: the participant id is empty.`, { row, column });
      // With a visit (and instance) column a participant has one row per visit (and instance), not one in all.
      const visit = this.visitColumn === -1 ? null : this.textAt(this.visitColumn, at);
      const instance = this.instanceColumn === -1 ? null : this.textAt(this.instanceColumn, at);
      const key = visit === null && instance === null ? String(id) : JSON.stringify([id, visit, instance]);
      const first = this.seenIds.get(key);
      if (first !== undefined) {
        const where = [visit !== null ? `visit “${visit}”` : "", instance !== null ? `instance ${instance}` : ""]
          .filter(Boolean)
          .join(", ");
        throw new DatasetFileError(
          `Row ${row}, column “${column}”: participant id “${id}”${where ? ` at ${where}` : ""} appears again (first on row ${first}).`,
          { row, column },
        );
      }
      this.seenIds.set(key, row);
    }
    this.count++;
  }

  private textAt(k: number, at: number): string | null {
    return (this.texts[k] as (string | null)[])[at];
  }

  /** Whether kept column k has a value on the row at index `at`. */
  private hasValue(k: number, at: number): boolean {
    const texts = this.texts[k];
    if (texts !== null) return texts[at] !== null;
    return !Number.isNaN((this.numbers[k] as Float64Array)[at]);
  }

  /** Checks the row's visit and notes, per column, that it has a value at that visit. */
  private noteVisit(at: number, row: number): void {
    const label = this.textAt(this.visitColumn, at);
    if (label === null) {
      const column = this.kept[this.visitColumn].name;
      throw new DatasetFileError(`Row ${row}, column “${column}”: the visit is empty.`, { row, column });
    }
    if (!this.visitsSeen[this.visitColumn].has(label)) this.visitOrder.push(label);
    for (let k = 0; k < this.kept.length; k++) if (this.hasValue(k, at)) this.visitsSeen[k].add(label);
  }

  private grow(): void {
    this.capacity *= 2;
    for (let k = 0; k < this.numbers.length; k++) {
      const old = this.numbers[k];
      if (old === null) continue;
      const wider = new Float64Array(this.capacity);
      wider.set(old);
      this.numbers[k] = wider;
    }
  }

  /** A numeric biomarker's cell, converted to the panel's unit; NaN when missing. */
  private readBiomarker(plan: ColumnPlan, k: number, raw: string, row: number): number {
    const parsed = readNumber(raw);
    if (parsed === undefined) {
      const problem = parseNumber(raw);
      const reason = problem.ok ? "not a number" : problem.reason;
      throw new DatasetFileError(`Row ${row}, column “${plan.name}” (${plan.biomarker}): ${reason}.`, { row, column: plan.name });
    }
    if (parsed === null) return Number.NaN;
    const value = harmonise(parsed, plan.factor);
    if ((plan.plausibleMin !== null && value < plan.plausibleMin) || (plan.plausibleMax !== null && value > plan.plausibleMax)) {
      this.flagged[k].push(row);
    }
    return value;
  }

  /** The finished table with its rows, in one go (small files, tests, the site summary). */
  finish(): HarmonisedTable {
    const steps = this.finishSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /** The finished table held by column, in one go: what an import writes from. */
  finishColumns(): HarmonisedColumns {
    const steps = this.columnSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The finished table, worked out one column at a time: the generator pauses
   * after each step, so a caller on a server can let other work run between
   * steps (a 100,000-row file takes hundreds of milliseconds in all).
   */
  *finishSteps(): Generator<void, HarmonisedTable> {
    const table = yield* this.columnSteps();
    const rows: HarmonisedRow[] = new Array(table.rowCount);
    for (let i = 0; i < table.rowCount; i++) rows[i] = table.row(i);
    return { columns: table.columns, warnings: table.warnings, summary: table.summary, rows };
  }

  private *columnSteps(): Generator<void, HarmonisedColumns> {
    if (this.count === 0) {
      throw new DatasetFileError("The file has a header but no data rows.", { row: 2 });
    }
    const values: ColumnValues[] = this.kept.map((_, k) => {
      const numbers = this.numbers[k];
      if (numbers !== null) return numbers.subarray(0, this.count);
      const texts = this.texts[k] as (string | null)[];
      texts.length = this.count;
      return texts;
    });
    const columns: DatasetColumn[] = this.kept.map((plan, k) => {
      const { index: _i, ignored: _g, sourceUnit: _s, matchedBy: _m, problem: _p, visitLabels: _v, ...column } = plan;
      const valueType =
        plan.role === "value" ? (this.numbers[k] !== null ? "numeric" : "text") : plan.role === "biomarker" ? plan.valueType : "text";
      const visits = this.visitColumn === -1 ? {} : { visits: orderVisits(this.visitOrder).filter((v) => this.visitsSeen[k].has(v)) };
      return { ...column, valueType, flaggedCount: this.flagged[k].length, ...visits };
    });
    const warnings: DatasetWarning[] = [];
    columns.forEach((column, k) => {
      const rows = this.flagged[k];
      if (rows.length === 0) return;
      warnings.push({
        column: column.name,
        rows: rows.slice(0, MAX_ROWS_LISTED),
        message:
          `${rows.length} ${rows.length === 1 ? "value" : "values"} of “${column.name}” (${column.biomarker}) lie outside the plausible range ` +
          `${column.plausibleMin ?? "−∞"}–${column.plausibleMax ?? "∞"} ${column.unit ?? ""}`.trimEnd() +
          `: kept and flagged (rows ${rows.slice(0, MAX_ROWS_LISTED).join(", ")}${rows.length > MAX_ROWS_LISTED ? ", …" : ""}).`,
      });
    });
    this.kept.forEach((plan) => {
      if (plan.role === "biomarker" && !plan.sourceUnit && plan.unit && plan.valueType === "numeric") {
        warnings.push({
          column: plan.name,
          message: `“${plan.name}” gives no unit; its values are taken to be in the panel's unit, ${plan.unit}.`,
        });
      }
    });
    if (this.skippedEmpty > 0)
      warnings.push({ message: `${this.skippedEmpty} empty ${this.skippedEmpty === 1 ? "row was" : "rows were"} skipped.` });
    const summary: ColumnSummary[] = [];
    for (const [k, column] of columns.entries()) {
      summary.push(summariseColumn(column.name, column.valueType, values[k]));
      yield;
    }
    return new HarmonisedColumns(columns, warnings, summary, this.count, values, this.idColumn, this.armColumn);
  }
}
