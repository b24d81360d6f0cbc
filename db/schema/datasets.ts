/**
 * Datasets: tables uploaded to a study (participant-level or summary-level),
 * harmonised to the study's biomarker panel. Each upload is a new version of
 * the dataset of that name; older versions stay. The original file is kept
 * byte for byte beside the harmonised rows, for provenance.
 */
import { users } from "./accounts.ts";
import { bytes, createdAt, index, integer, json, primaryKey, table, text, timestamp, uniqueIndex } from "./columns.ts";
import { studies } from "./studies.ts";
import { workspaces } from "./workspaces.ts";
import {
  type ColumnSummary,
  DATASET_KINDS,
  DATASET_STATUSES,
  SOURCE_FORMATS,
  type DatasetColumn,
  type DatasetWarning,
} from "../../app/domain/datasets.ts";

export const datasets = table(
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
    /**
     * While importing: the import is alive until this time, and renews it as it writes. An import whose
     * lease has lapsed was cut off (its process stopped) and may be removed by any process.
     */
    leaseExpiresAt: timestamp("lease_expires_at"),
    rowCount: integer("row_count").notNull(),
    columns: json("columns").$type<DatasetColumn[]>().notNull(),
    warnings: json("warnings").$type<DatasetWarning[]>().notNull(),
    summary: json("summary").$type<ColumnSummary[]>().notNull(),
    sourceFileName: text("source_file_name").notNull(),
    sourceFormat: text("source_format", { enum: SOURCE_FORMATS }).notNull(),
    sourceBytes: integer("source_bytes").notNull(),
    sourceSha256: text("source_sha256").notNull(),
    uploadedBy: text("uploaded_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("datasets_version_unique").on(t.studyId, t.name, t.version), index("datasets_workspace_idx").on(t.workspaceId)],
);

export const datasetRows = table(
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
    values: json("values").$type<(number | string | null)[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.rowIndex] })],
);

export const datasetSources = table("dataset_sources", {
  datasetId: text("dataset_id")
    .primaryKey()
    .references(() => datasets.id, { onDelete: "cascade" }),
  content: bytes("content").notNull(),
});

export type Dataset = typeof datasets.$inferSelect;
export type DatasetRow = typeof datasetRows.$inferSelect;
