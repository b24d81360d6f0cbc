/**
 * The fixed values and stored shapes of datasets: kinds, import status, column
 * roles, the harmonised column and its summary. The database schema, the
 * request schemas and the pages all take them from here.
 */
export const DATASET_KINDS = ["participant", "summary"] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

/**
 * "importing": rows are still being written in chunks; every reader ignores the
 * dataset until the import flips it to "ready" together with its
 * `dataset.imported` event (so users see all of it or none of it).
 */
/** How a dataset's file arrived: a plain table, or a clinical records export turned into one. */
export const SOURCE_FORMATS = ["csv", "xlsx", "xml"] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const DATASET_STATUSES = ["importing", "ready"] as const;
export type DatasetStatus = (typeof DATASET_STATUSES)[number];

/**
 * "visit": which visit a row belongs to (a participant-level dataset then holds one row per participant
 * and visit); "instance": which repetition of a repeated measurement within a visit. Both are given
 * by the column mapping (or a REDCap / ODM import), never guessed from a column's name
 * (docs/decisions/030-records-and-visits.md).
 */
export const COLUMN_ROLES = ["participant_id", "arm", "visit", "instance", "biomarker", "value", "ignore"] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** One kept column of a dataset, as harmonised at import. */
export interface DatasetColumn {
  name: string;
  role: Exclude<ColumnRole, "ignore">;
  /** Panel biomarker code, for role "biomarker". */
  biomarker: string | null;
  /** The unit the stored values are in (the panel's unit for a biomarker). */
  unit: string | null;
  /** The unit the file gave, when the values were converted from it. */
  convertedFrom: string | null;
  factor: number | null;
  /** In words, for people: "mg/dL → mg/L (×10, UCUM)". */
  conversion: string | null;
  valueType: "numeric" | "text";
  plausibleMin: number | null;
  plausibleMax: number | null;
  /** How many values lie outside the plausible range (kept, flagged). */
  flaggedCount: number;
  /**
   * In a dataset with a visit column: the visits, in order, at which this column has a value (for the
   * visit column itself: every visit). Absent in a dataset without one.
   */
  visits?: string[];
}

export interface DatasetWarning {
  message: string;
  column?: string;
  rows?: number[];
}

export interface NumericColumnSummary {
  column: string;
  valueType: "numeric";
  n: number;
  missing: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  histogram: { min: number; max: number; counts: number[] } | null;
}

export interface TextColumnSummary {
  column: string;
  valueType: "text";
  n: number;
  missing: number;
  distinct: number;
  top: { value: string; count: number }[];
}

export type ColumnSummary = NumericColumnSummary | TextColumnSummary;
