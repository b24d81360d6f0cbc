/**
 * Datasets: tables uploaded to a study (participant-level or summary-level),
 * harmonised to the study's biomarker panel. Each upload is a new version of
 * the dataset of that name; older versions stay. The original file is kept
 * byte for byte beside the harmonised rows, for provenance.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.ts";
import { createdAt } from "./columns.ts";
import { studies } from "./studies.ts";
import { workspaces } from "./workspaces.ts";

export const DATASET_KINDS = ["participant", "summary"] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

/**
 * "importing": rows are still being written in chunks; every reader ignores the
 * dataset until the import flips it to "ready" together with its
 * `dataset.imported` event (so users see all of it or none of it).
 */
export const DATASET_STATUSES = ["importing", "ready"] as const;
export type DatasetStatus = (typeof DATASET_STATUSES)[number];

export const COLUMN_ROLES = ["participant_id", "arm", "biomarker", "value", "ignore"] as const;
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

export const datasets = sqliteTable(
  "datasets",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    studyId: text("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: DATASET_KINDS }).notNull(),
    /** Counts 1, 2, … per (study, name) once ready; an import in progress holds a negative placeholder. */
    version: integer("version").notNull(),
    status: text("status", { enum: DATASET_STATUSES }).notNull().default("ready"),
    rowCount: integer("row_count").notNull(),
    columns: text("columns", { mode: "json" }).$type<DatasetColumn[]>().notNull(),
    warnings: text("warnings", { mode: "json" }).$type<DatasetWarning[]>().notNull(),
    summary: text("summary", { mode: "json" }).$type<ColumnSummary[]>().notNull(),
    sourceFileName: text("source_file_name").notNull(),
    sourceFormat: text("source_format", { enum: ["csv", "xlsx"] }).notNull(),
    sourceBytes: integer("source_bytes").notNull(),
    sourceSha256: text("source_sha256").notNull(),
    uploadedBy: text("uploaded_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("datasets_version_unique").on(t.studyId, t.name, t.version),
    index("datasets_workspace_idx").on(t.workspaceId),
  ],
);

export const datasetRows = sqliteTable(
  "dataset_rows",
  {
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** 0-based position in the file's data rows. */
    rowIndex: integer("row_index").notNull(),
    participantId: text("participant_id"),
    arm: text("arm"),
    /** Aligned with the dataset's columns: harmonised numbers, strings, or null when missing. */
    values: text("values", { mode: "json" }).$type<(number | string | null)[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.rowIndex] })],
);

export const datasetSources = sqliteTable("dataset_sources", {
  datasetId: text("dataset_id")
    .primaryKey()
    .references(() => datasets.id, { onDelete: "cascade" }),
  content: blob("content", { mode: "buffer" }).notNull(),
});

export type Dataset = typeof datasets.$inferSelect;
export type DatasetRow = typeof datasetRows.$inferSelect;
