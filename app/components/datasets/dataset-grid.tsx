/**
 * The rows of a dataset in a virtualised grid (only the visible rows are in
 * the DOM, so 100,000 rows scroll smoothly): sort by a column, filter by
 * text, show only flagged rows. Values outside a biomarker's plausible range
 * are highlighted.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";
import type { ColumnInfo } from "./column-summary.tsx";

export type GridRow = { rowIndex: number; values: (number | string | null)[] };

const ROW_HEIGHT = 32;
const COLUMN_WIDTH = 140;

export function isFlagged(column: ColumnInfo, value: number | string | null): boolean {
  if (typeof value !== "number") return false;
  return (column.plausibleMin !== null && value < column.plausibleMin) || (column.plausibleMax !== null && value > column.plausibleMax);
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === null) return b === null ? 0 : 1; // missing values last
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** A spot in the grid that discussion can point at. */
export type CellRef = { row: number; column: string };

export const cellKey = (row: number, column: string) => `${row}:${column}`;

interface GridProps {
  columns: ColumnInfo[];
  rows: GridRow[];
  /** Cells with open comment threads (keys from cellKey) get a marker. */
  commented?: Set<string>;
  selected?: CellRef | null;
  onSelectCell?(cell: CellRef): void;
}

export function DatasetGrid({ columns, rows, commented, selected, onSelectCell }: GridProps) {
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const [filter, setFilter] = useState("");
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    let result = rows;
    if (needle) result = result.filter((r) => r.values.some((v) => v !== null && String(v).toLowerCase().includes(needle)));
    if (flaggedOnly) result = result.filter((r) => r.values.some((v, k) => isFlagged(columns[k], v)));
    if (sort) {
      const k = sort.column;
      result = [...result].sort((a, b) => (sort.descending ? -1 : 1) * compare(a.values[k], b.values[k]) || a.rowIndex - b.rowIndex);
    }
    return result;
  }, [rows, columns, filter, flaggedOnly, sort]);

  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const width = 64 + columns.length * COLUMN_WIDTH;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-4">
        <div className="space-y-1">
          <label htmlFor="grid-filter" className="block text-sm font-medium text-slate-800">
            Filter rows
          </label>
          <input
            id="grid-filter"
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="participant, arm or value"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500"
          />
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.target.checked)} />
          Only rows with flagged values
        </label>
        <p className="text-sm text-slate-500" aria-live="polite">
          {visible.length === rows.length ? `${rows.length} rows` : `${visible.length} of ${rows.length} rows`}
        </p>
      </div>
      <div
        ref={scroller}
        role="grid"
        aria-label="Dataset rows"
        // Focusable, so the rows and columns can be scrolled with the keyboard even when no cell takes focus.
        tabIndex={0}
        aria-rowcount={visible.length + 1}
        className="h-[28rem] overflow-auto rounded-lg border border-slate-200 bg-white text-sm"
      >
        <div style={{ width }} className="sticky top-0 z-10 flex border-b border-slate-200 bg-slate-50" role="row">
          <div role="columnheader" className="w-16 shrink-0 px-2 py-1.5 text-xs text-slate-500">
            #
          </div>
          {columns.map((column, k) => {
            const active = sort?.column === k;
            return (
              <div
                key={column.name}
                role="columnheader"
                aria-sort={active ? (sort!.descending ? "descending" : "ascending") : "none"}
                style={{ width: COLUMN_WIDTH }}
                className="shrink-0"
              >
                <button
                  type="button"
                  className="w-full truncate px-2 py-1.5 text-left text-xs font-semibold text-slate-700 hover:bg-slate-100"
                  title={`Sort by ${column.name}`}
                  onClick={() =>
                    setSort(
                      active && !sort!.descending ? { column: k, descending: true } : active ? null : { column: k, descending: false },
                    )
                  }
                >
                  {column.name}
                  {column.unit ? <span className="font-normal text-slate-500"> ({column.unit})</span> : null}
                  {active ? (sort!.descending ? " ↓" : " ↑") : ""}
                </button>
              </div>
            );
          })}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), width, position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = visible[item.index];
            return (
              <div
                key={row.rowIndex}
                role="row"
                aria-rowindex={item.index + 2}
                className="absolute left-0 flex border-b border-slate-100"
                style={{ top: item.start, height: ROW_HEIGHT, width }}
              >
                <div role="rowheader" className="w-16 shrink-0 px-2 py-1.5 text-xs text-slate-500">
                  {row.rowIndex + 1}
                </div>
                {columns.map((column, k) => {
                  const value = row.values[k];
                  const flagged = isFlagged(column, value);
                  const hasThread = commented?.has(cellKey(row.rowIndex, column.name)) ?? false;
                  const isSelected = selected?.row === row.rowIndex && selected.column === column.name;
                  const select = () => onSelectCell?.({ row: row.rowIndex, column: column.name });
                  return (
                    <div
                      key={column.name}
                      role="gridcell"
                      tabIndex={onSelectCell ? 0 : undefined}
                      aria-selected={isSelected || undefined}
                      aria-colindex={k + 2}
                      data-cell={cellKey(row.rowIndex, column.name)}
                      data-commented={hasThread || undefined}
                      onClick={onSelectCell ? select : undefined}
                      onKeyDown={onSelectCell ? (e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), select()) : undefined}
                      style={{ width: COLUMN_WIDTH }}
                      title={
                        flagged
                          ? `Outside the plausible range ${column.plausibleMin}–${column.plausibleMax} ${column.unit ?? ""}`
                          : undefined
                      }
                      className={`relative shrink-0 truncate px-2 py-1.5 ${onSelectCell ? "cursor-pointer" : ""} ${typeof value === "number" ? "text-right tabular-nums" : ""} ${
                        flagged ? "bg-amber-100 font-medium text-amber-900" : value === null ? "text-slate-300" : "text-slate-800"
                      } ${isSelected ? "outline outline-2 -outline-offset-2 outline-brand-500" : ""}`}
                    >
                      {hasThread ? (
                        <>
                          <span
                            aria-hidden
                            className="absolute right-0 top-0 h-0 w-0 border-l-[8px] border-t-[8px] border-l-transparent border-t-brand-500"
                          />
                          <span className="sr-only">(has comments) </span>
                        </>
                      ) : null}
                      {value === null ? "·" : typeof value === "number" ? String(Number(value.toPrecision(6))) : value}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
