/** Pure rules behind the dashboard's workspace health and the datasets_harmonised metric. */

/** The part of a dataset column these rules read (the datasets area stores more). */
export interface DatasetColumnLike {
  name?: string;
  role?: string;
  biomarker?: string | null;
  unit?: string | null;
}

/**
 * A dataset is harmonised when it has biomarker columns and every one of them
 * is mapped to a panel biomarker and stored in a unit (converted to the panel's).
 */
export function isHarmonisedDataset(columns: DatasetColumnLike[]): boolean {
  const markers = columns.filter((c) => c.role === "biomarker");
  return markers.length > 0 && markers.every((c) => Boolean(c.biomarker) && c.unit !== null && c.unit !== undefined);
}

/** Columns that are biomarkers but not mapped, or mapped but not converted. */
export function problemColumns(columns: DatasetColumnLike[]): string[] {
  return columns
    .filter((c) => c.role === "biomarker" && (!c.biomarker || c.unit === null || c.unit === undefined))
    .map((c) => c.name ?? "?");
}
