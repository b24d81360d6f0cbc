/**
 * Turns a file's records into a harmonised table, refusing the whole file at
 * the first cell that cannot be imported (with its row and column). Rows are
 * numbered as a spreadsheet shows them: the header is row 1.
 *
 * Values outside a biomarker's plausible range are kept and flagged, never
 * dropped. Columns not matched to the panel stay as they are: numeric when
 * every value is a number, else text.
 */
import type { DatasetColumn, DatasetKind, DatasetWarning } from "./datasets.ts";
import type { ColumnSummary } from "./datasets.ts";
import type { ColumnPlan } from "./dataset-columns.ts";
import { DATASET_LIMITS, DatasetFileError } from "./dataset-files.ts";
import { summariseColumn } from "./dataset-summary.ts";
import { harmonise, isMissing, parseNumber } from "./dataset-values.ts";
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

export class DatasetTableBuilder {
  private readonly kept: ColumnPlan[];
  private readonly idColumn: number;
  private readonly armColumn: number;
  private readonly visitColumn: number;
  private readonly instanceColumn: number;
  /** Per kept column, the visits at which it has a value (a dataset with a visit column only). */
  private readonly visitsSeen: Set<string>[];
  private readonly visitOrder: string[] = [];
  /** Kept-column positions whose type is still to be decided (unmatched columns). */
  private readonly looseNumeric: boolean[];
  private readonly rows: { row: number; values: CellValue[] }[] = [];
  private readonly seenIds = new Map<string, number>();
  private readonly flagged: number[][];
  private skippedEmpty = 0;

  constructor(
    plans: ColumnPlan[],
    private readonly kind: DatasetKind,
    private readonly headerLength: number,
  ) {
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
    this.looseNumeric = this.kept.map((p) => p.role === "value");
    this.flagged = this.kept.map(() => []);
  }

  get rowCount(): number {
    return this.rows.length;
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
    const values: CellValue[] = this.kept.map((plan, k) => this.readCell(plan, k, cells[plan.index] ?? "", row));
    if (this.visitColumn !== -1) this.noteVisit(values, row);
    if (this.idColumn !== -1 && this.kind === "participant") {
      const id = values[this.idColumn];
      const column = this.kept[this.idColumn].name;
      if (id === null) throw new DatasetFileError(`Row ${row}, column “${column}”: the participant id is empty.`, { row, column });
      // With a visit (and instance) column a participant has one row per visit (and instance), not one in all.
      const visit = this.visitColumn === -1 ? null : values[this.visitColumn];
      const instance = this.instanceColumn === -1 ? null : values[this.instanceColumn];
      const key = visit === null && instance === null ? String(id) : JSON.stringify([id, visit, instance]);
      const first = this.seenIds.get(key);
      if (first !== undefined) {
        const at = [visit !== null ? `visit “${visit}”` : "", instance !== null ? `instance ${instance}` : ""].filter(Boolean).join(", ");
        throw new DatasetFileError(
          `Row ${row}, column “${column}”: participant id “${id}”${at ? ` at ${at}` : ""} appears again (first on row ${first}).`,
          { row, column },
        );
      }
      this.seenIds.set(key, row);
    }
    this.rows.push({ row, values });
  }

  /** Checks the row's visit and notes, per column, that it has a value at that visit. */
  private noteVisit(values: CellValue[], row: number): void {
    const visit = values[this.visitColumn];
    if (visit === null) {
      const column = this.kept[this.visitColumn].name;
      throw new DatasetFileError(`Row ${row}, column “${column}”: the visit is empty.`, { row, column });
    }
    const label = String(visit);
    if (!this.visitsSeen[this.visitColumn].has(label)) this.visitOrder.push(label);
    values.forEach((v, k) => {
      if (v !== null) this.visitsSeen[k].add(label);
    });
  }

  private readCell(plan: ColumnPlan, k: number, raw: string, row: number): CellValue {
    if (raw.length > DATASET_LIMITS.maxCellChars) {
      throw new DatasetFileError(
        `Row ${row}, column “${plan.name}”: the cell has ${raw.length} characters; at most ${DATASET_LIMITS.maxCellChars} are allowed.`,
        {
          row,
          column: plan.name,
        },
      );
    }
    if (plan.role === "visit") {
      const text = raw.trim();
      if (isMissing(text)) return null;
      return visitLabel(text, plan.visitLabels ?? {});
    }
    if (plan.role !== "biomarker" || plan.valueType === "text") {
      // Unmatched columns keep their text until every row is in; finish() decides their type.
      if (plan.role === "value" && this.looseNumeric[k] && !parseNumber(raw).ok) this.looseNumeric[k] = false;
      const text = raw.trim();
      return isMissing(text) ? null : text;
    }
    const parsed = parseNumber(raw);
    if (!parsed.ok) {
      throw new DatasetFileError(`Row ${row}, column “${plan.name}” (${plan.biomarker}): ${parsed.reason}.`, { row, column: plan.name });
    }
    if (parsed.value === null) return null;
    const value = harmonise(parsed.value, plan.factor);
    if ((plan.plausibleMin !== null && value < plan.plausibleMin) || (plan.plausibleMax !== null && value > plan.plausibleMax)) {
      this.flagged[k].push(row);
    }
    return value;
  }

  /** The finished table, in one go (small files, tests). */
  finish(): HarmonisedTable {
    const steps = this.finishSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The finished table, worked out one column at a time: the generator pauses
   * after each step, so a caller on a server can let other work run between
   * steps (a 100,000-row file takes hundreds of milliseconds in all).
   */
  *finishSteps(): Generator<void, HarmonisedTable> {
    if (this.rows.length === 0) {
      throw new DatasetFileError("The file has a header but no data rows.", { row: 2 });
    }
    const columns: DatasetColumn[] = this.kept.map((plan, k) => {
      const { index: _i, ignored: _g, sourceUnit: _s, matchedBy: _m, problem: _p, visitLabels: _v, ...column } = plan;
      const valueType =
        plan.role === "value" ? (this.looseNumeric[k] ? "numeric" : "text") : plan.role === "biomarker" ? plan.valueType : "text";
      const visits = this.visitColumn === -1 ? {} : { visits: orderVisits(this.visitOrder).filter((v) => this.visitsSeen[k].has(v)) };
      return { ...column, valueType, flaggedCount: this.flagged[k].length, ...visits };
    });
    for (const [k, column] of columns.entries()) {
      if (this.kept[k].role !== "value" || column.valueType !== "numeric") continue;
      for (const r of this.rows) {
        const v = r.values[k];
        if (typeof v === "string") r.values[k] = Number(v);
      }
      yield;
    }
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
      summary.push(
        summariseColumn(
          column.name,
          column.valueType,
          this.rows.map((r) => r.values[k]),
        ),
      );
      yield;
    }
    return {
      columns,
      warnings,
      summary,
      rows: this.rows.map((r) => ({
        participantId: this.idColumn === -1 ? null : (r.values[this.idColumn] as string | null),
        arm: this.armColumn === -1 ? null : (r.values[this.armColumn] as string | null),
        values: r.values,
      })),
    };
  }
}
