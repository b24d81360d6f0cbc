/** How the API writes datasets: the shapes of the dataset endpoints (docs/api.md). */
import type { z } from "zod";
import type { Dataset } from "#db/schema.ts";
import type { DatasetColumn, DatasetKind } from "#app/domain/datasets.ts";
import type { ColumnPlan } from "#app/domain/dataset-columns.ts";
import type { HarmonisedTable } from "#app/domain/dataset-table.ts";
import type { FileFormat } from "#app/domain/dataset-files.ts";
import type { RecordsInfo } from "#app/domain/clinical-records.ts";
import type { DatasetColumnJson, DatasetJson, DatasetProposalJson, DatasetRowsJson, DatasetSummaryJson } from "#app/schemas/datasets.ts";

export interface DatasetView extends Dataset {
  uploadedByName: string;
  studyTitle: string;
}

export interface DatasetRowsPage {
  total: number;
  offset: number;
  items: { rowIndex: number; participantId: string | null; arm: string | null; values: (number | string | null)[] }[];
}

export interface DatasetVersionSummary {
  id: string;
  name: string;
  version: number;
  rowCount: number;
  kind: Dataset["kind"];
  createdAt: Date;
  uploadedByName: string;
}

/** What a dry run proposes: the column matching, and the problem an import would hit (if any). */
export interface DatasetProposal {
  dryRun: true;
  fileName: string;
  format: FileFormat;
  /** For clinical records: the events to map to visits, the repeated instruments and what was left out. */
  records: RecordsInfo | null;
  kind: DatasetKind;
  rowCount: number;
  columns: Omit<ColumnPlan, "index">[];
  warnings: HarmonisedTable["warnings"];
  problem: { status: number; message: string; details: Record<string, unknown>[] } | null;
}

export const datasetColumnJson = (c: DatasetColumn): z.output<typeof DatasetColumnJson> => ({
  name: c.name,
  role: c.role,
  biomarker: c.biomarker,
  unit: c.unit,
  convertedFrom: c.convertedFrom,
  factor: c.factor,
  conversion: c.conversion,
  valueType: c.valueType,
  plausibleMin: c.plausibleMin,
  plausibleMax: c.plausibleMax,
  flaggedCount: c.flaggedCount,
  ...(c.visits ? { visits: c.visits } : {}),
});

export const datasetJson = (d: Dataset | DatasetView): z.output<typeof DatasetJson> => ({
  id: d.id,
  studyId: d.studyId,
  name: d.name,
  kind: d.kind,
  version: d.version,
  rowCount: d.rowCount,
  columns: d.columns.map(datasetColumnJson),
  warnings: d.warnings,
  source: { fileName: d.sourceFileName, format: d.sourceFormat, bytes: d.sourceBytes, sha256: d.sourceSha256 },
  uploadedBy: d.uploadedBy,
  createdAt: d.createdAt.toISOString(),
});

export const datasetProposalJson = (p: DatasetProposal): z.output<typeof DatasetProposalJson> => ({
  dryRun: true,
  fileName: p.fileName,
  format: p.format,
  kind: p.kind,
  rowCount: p.rowCount,
  columns: p.columns.map((c) => ({
    ...datasetColumnJson(c),
    sourceUnit: c.sourceUnit,
    matchedBy: c.matchedBy,
    ignored: c.ignored,
    problem: c.problem,
  })),
  warnings: p.warnings,
  problem: p.problem,
  records: p.records,
});

/** A page of rows; nextCursor is the offset of the next page. */
export function datasetRowsJson(page: DatasetRowsPage): z.output<typeof DatasetRowsJson> {
  const next = page.offset + page.items.length;
  return {
    items: page.items,
    total: page.total,
    offset: page.offset,
    nextCursor: next < page.total && page.items.length > 0 ? String(next) : null,
  };
}

export const datasetSummaryJson = (d: Dataset): z.output<typeof DatasetSummaryJson> => ({
  datasetId: d.id,
  rowCount: d.rowCount,
  columns: d.summary,
});

/** The page's list of a dataset's versions. */
export const datasetVersionJson = (v: DatasetVersionSummary) => ({
  id: v.id,
  name: v.name,
  version: v.version,
  kind: v.kind,
  rowCount: v.rowCount,
  uploadedByName: v.uploadedByName,
  createdAt: v.createdAt.toISOString(),
});
