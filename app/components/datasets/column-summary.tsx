/** One card per column: unit and conversion, and its summary (with a small histogram for numbers). */
import type { ColumnSummary } from "#app/domain/datasets.ts";
import { columnAnchor } from "#app/domain/search-text.ts";

export interface ColumnInfo {
  name: string;
  role: string;
  biomarker: string | null;
  unit: string | null;
  convertedFrom: string | null;
  conversion: string | null;
  valueType: "numeric" | "text";
  plausibleMin: number | null;
  plausibleMax: number | null;
  flaggedCount: number;
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** The bars' counts, bin by bin, in words: what a screen reader says for the picture. */
export function describeHistogram(name: string, histogram: { min: number; max: number; counts: number[] }): string {
  const step = (histogram.max - histogram.min) / histogram.counts.length;
  const bins = histogram.counts.map(
    (count, i) => `${formatNumber(histogram.min + i * step)} to ${formatNumber(histogram.min + (i + 1) * step)}: ${count}`,
  );
  return `Histogram of ${name}, ${histogram.counts.length} bins: ${bins.join("; ")}`;
}

export function Histogram({ counts, label }: { counts: number[]; label: string }) {
  const peak = Math.max(1, ...counts);
  const width = 120;
  const height = 32;
  const bar = width / counts.length;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} className="h-8 w-full max-w-[10rem] text-brand-500">
      {counts.map((count, i) => {
        const h = (count / peak) * (height - 2);
        return <rect key={i} x={i * bar + 0.5} y={height - h} width={Math.max(bar - 1, 1)} height={h} fill="currentColor" />;
      })}
    </svg>
  );
}

function roleLabel(column: ColumnInfo): string {
  if (column.role === "participant_id") return "participant id";
  if (column.role === "arm") return "arm";
  if (column.role === "visit") return "visit";
  if (column.role === "instance") return "repeat instance";
  if (column.biomarker) return column.biomarker;
  return "not in the panel";
}

export function ColumnSummaryCard({ column, summary }: { column: ColumnInfo; summary: ColumnSummary | undefined }) {
  return (
    <li
      id={columnAnchor(column.name)}
      className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm target:ring-2 target:ring-amber-400"
    >
      <div className="flex items-baseline justify-between gap-2">
        <h4 className="truncate font-medium text-slate-900" title={column.name}>
          {column.name}
        </h4>
        <span className="shrink-0 text-xs text-slate-500">{roleLabel(column)}</span>
      </div>
      <p className="text-xs text-slate-600">
        {column.unit ? `in ${column.unit}` : column.valueType === "text" ? "text" : "no unit"}
        {column.convertedFrom ? (
          <span className="ml-1 rounded bg-sky-50 px-1 text-sky-800">converted from {column.convertedFrom}</span>
        ) : null}
      </p>
      {column.conversion && column.convertedFrom ? <p className="text-xs text-slate-500">{column.conversion}</p> : null}
      {column.flaggedCount > 0 ? (
        <p className="text-xs text-amber-800">
          {column.flaggedCount} flagged: outside {column.plausibleMin ?? "−∞"}–{column.plausibleMax ?? "∞"} {column.unit}
        </p>
      ) : null}
      {summary?.valueType === "numeric" ? (
        <div className="mt-2 flex items-end justify-between gap-3">
          <dl className="grid grid-cols-3 gap-x-3 text-xs text-slate-700">
            <dt className="text-slate-500">n</dt>
            <dt className="text-slate-500">mean</dt>
            <dt className="text-slate-500">SD</dt>
            <dd>{summary.n}</dd>
            <dd>{formatNumber(summary.mean)}</dd>
            <dd>{formatNumber(summary.sd)}</dd>
            <dt className="text-slate-500">missing</dt>
            <dt className="text-slate-500">min</dt>
            <dt className="text-slate-500">max</dt>
            <dd>{summary.missing}</dd>
            <dd>{formatNumber(summary.min)}</dd>
            <dd>{formatNumber(summary.max)}</dd>
          </dl>
          {summary.histogram ? (
            <Histogram counts={summary.histogram.counts} label={describeHistogram(column.name, summary.histogram)} />
          ) : null}
        </div>
      ) : summary ? (
        <p className="mt-2 text-xs text-slate-700">
          n {summary.n} · missing {summary.missing} · {summary.distinct} distinct
          {summary.top.length
            ? ` · ${summary.top
                .slice(0, 3)
                .map((t) => `${t.value} (${t.count})`)
                .join(", ")}`
            : ""}
        </p>
      ) : null}
    </li>
  );
}
