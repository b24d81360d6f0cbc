/**
 * Per-column summaries of a harmonised dataset: n, missing, mean, SD (n − 1),
 * min, max and a small histogram for numbers; counts of the commonest values
 * for text. Pure, and safe to import in the browser.
 */
import type { ColumnSummary, NumericColumnSummary, TextColumnSummary } from "./datasets.ts";

export const HISTOGRAM_BINS = 12;

/** A column's values: an array, or a Float64Array in which NaN stands for a missing value (the import's columns). */
export type SummaryValues = ArrayLike<number | string | null>;

export function summariseNumbers(column: string, values: SummaryValues): NumericColumnSummary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  // Welford's update: stable for large columns with a large mean.
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || Number.isNaN(v)) continue;
    n++;
    const delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const missing = values.length - n;
  if (n === 0) return { column, valueType: "numeric", n, missing, mean: null, sd: null, min: null, max: null, histogram: null };
  return {
    column,
    valueType: "numeric",
    n,
    missing,
    mean,
    sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : null,
    min,
    max,
    histogram: histogram(values, min, max),
  };
}

function histogram(values: SummaryValues, min: number, max: number) {
  const counts = new Array<number>(min === max ? 1 : HISTOGRAM_BINS).fill(0);
  const width = (max - min) / counts.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || Number.isNaN(v)) continue;
    const bin = width === 0 ? 0 : Math.min(counts.length - 1, Math.floor((v - min) / width));
    counts[bin]++;
  }
  return { min, max, counts };
}

/** Commoner first, then alphabetical (as `localeCompare` orders), so the listed values do not depend on row order. */
const collator = new Intl.Collator();
const byCountThenValue = (a: [string, number], b: [string, number]) => b[1] - a[1] || collator.compare(a[0], b[0]);

export function summariseText(column: string, values: SummaryValues, top = 5): TextColumnSummary {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === "") {
      missing++;
      continue;
    }
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // The commonest `top` values, kept sorted as we go: sorting every distinct
  // value (100,000 participant ids) would cost far more than the list shown.
  const best: [string, number][] = [];
  for (const entry of top > 0 ? counts : []) {
    if (best.length === top && byCountThenValue(entry, best[top - 1]) >= 0) continue;
    let i = best.length === top ? top - 1 : best.length;
    while (i > 0 && byCountThenValue(entry, best[i - 1]) < 0) {
      best[i] = best[i - 1];
      i--;
    }
    best[i] = entry;
  }
  return {
    column,
    valueType: "text",
    n: values.length - missing,
    missing,
    distinct: counts.size,
    top: best.slice(0, top).map(([value, count]) => ({ value, count })),
  };
}

export function summariseColumn(column: string, valueType: "numeric" | "text", values: SummaryValues): ColumnSummary {
  return valueType === "numeric" ? summariseNumbers(column, values) : summariseText(column, values);
}
