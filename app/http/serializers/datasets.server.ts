/** How the API writes datasets: the shapes of the dataset endpoints (docs/api.md). */
import type { Dataset } from "#db/schema.ts";
import type { DatasetColumn } from "#app/domain/datasets.ts";
import type { DatasetProposal } from "#app/services/datasets.server.ts";
import type { DatasetVersionSummary, DatasetView } from "#app/services/dataset-views.server.ts";

export const datasetColumnJson = (c: DatasetColumn) => ({
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
});

export const datasetJson = (d: Dataset | DatasetView) => ({
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

export const datasetProposalJson = (p: DatasetProposal) => ({
  dryRun: true,
  fileName: p.fileName,
  format: p.format,
  kind: p.kind,
  rowCount: p.rowCount,
  columns: p.columns.map((c) => ({ ...datasetColumnJson(c), sourceUnit: c.sourceUnit, matchedBy: c.matchedBy, ignored: c.ignored, problem: c.problem })),
  warnings: p.warnings,
  problem: p.problem,
});

export const datasetVersionJson = (v: DatasetVersionSummary) => ({
  id: v.id,
  name: v.name,
  version: v.version,
  kind: v.kind,
  rowCount: v.rowCount,
  uploadedByName: v.uploadedByName,
  createdAt: v.createdAt.toISOString(),
});
