import type { ReactNode } from "react";

/** A table's header row: one column heading per entry, each announced as a column's by screen readers. */
export function ColumnHeadings({ columns, className = "bg-slate-50 text-left" }: { columns: ReactNode[]; className?: string }) {
  return (
    <thead>
      <tr className={className}>
        {columns.map((column, i) => (
          // Headings are fixed per table and never reorder: the position is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <th key={i} scope="col" className="px-2 py-1">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
