/** A harmonised dataset column as an import stores it, for unit tests of code that reads columns. */
import type { DatasetColumn } from "#app/domain/datasets.ts";

export function datasetColumn(
  name: string,
  role: DatasetColumn["role"],
  biomarker: string | null = null,
  unit: string | null = null,
): DatasetColumn {
  return {
    name,
    role,
    biomarker,
    unit,
    convertedFrom: null,
    factor: null,
    conversion: null,
    valueType: "numeric",
    plausibleMin: null,
    plausibleMax: null,
    flaggedCount: 0,
  };
}
