/** Plain-text tables: one per group, aligned, the same text on the console and in docs/bench. */
import type { Summary } from "./stats.ts";

export interface Row {
  label: string;
  concurrency: number;
  summary: Summary;
  /** The row every other row of its group is compared with. */
  baseline?: boolean;
  truncated?: boolean;
}

export interface Group {
  title: string;
  /** What the baseline is, and what "vs baseline" divides. */
  note: string;
  rows: Row[];
  /** Extra lines printed under the table (e.g. a ratio a decision record cites). */
  footer?: string[];
}

/** A table whose columns are its own (the fan-out and import benches report more than latencies). */
export interface TableGroup {
  title: string;
  note: string;
  header: string[];
  /** Cells as printed; the first column is left-aligned, the others right-aligned unless `align` says otherwise. */
  body: string[][];
  align?: ("left" | "right")[];
  footer?: string[];
}

export type AnyGroup = Group | TableGroup;

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
const rate = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : "-");

export function formatGroup(group: AnyGroup): string {
  if ("header" in group) return formatTable(group);
  const baseline = group.rows.find((r) => r.baseline) ?? group.rows[0];
  const header = ["scenario", "conc", "n", "mean ms", "p50 ms", "p95 ms", "p99 ms", "req/s", "vs baseline"];
  const body: string[][] = group.rows.map((r) => [
    r.label + (r.baseline ? " [baseline]" : "") + (r.truncated ? " (time budget hit)" : ""),
    String(r.concurrency),
    String(r.summary.n),
    ms(r.summary.mean),
    ms(r.summary.p50),
    ms(r.summary.p95),
    ms(r.summary.p99),
    rate(r.summary.throughput),
    r === baseline ? "1.00x" : ratio(r.summary.mean / baseline.summary.mean),
  ]);
  return formatTable({ title: group.title, note: group.note, header, body, footer: group.footer });
}

function formatTable(group: TableGroup): string {
  const { header, body } = group;
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => ((group.align?.[i] ?? (i === 0 ? "left" : "right")) === "left" ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [
    `== ${group.title}`,
    `   ${group.note}`,
    line(header),
    rule,
    ...body.map(line),
    ...(group.footer ?? []).map((f) => `   ${f}`),
  ].join("\n");
}
