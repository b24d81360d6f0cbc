/**
 * The forest plot's numbers as a table: what the picture shows, for people
 * who cannot see it (screen readers) or want to read or copy the figures.
 */
import type { ForestAnalysis, PooledSummary } from "#app/domain/comparison.ts";
import { formatEffect, formatInterval, formatPercent } from "./format.ts";
import { ColumnHeadings } from "#app/components/ui/column-headings.tsx";

interface Props {
  analysis: ForestAnalysis;
  profiles: { id: string; name: string }[];
  title: string;
}

export function ForestTable({ analysis, profiles, title }: Props) {
  const nameOf = (id: string) => profiles.find((p) => p.id === id)?.name ?? id;
  const measure = analysis.measure;
  const pooledRow = (label: string, p: PooledSummary, key: string) => (
    <tr key={key} className="border-t border-slate-200 font-semibold">
      <th scope="row" className="px-2 py-1 text-left">
        {label}
      </th>
      <td className="px-2 py-1 tabular-nums">{p.n ?? "?"}</td>
      <td className="px-2 py-1 tabular-nums">
        {formatEffect(p.estimate, measure)} {formatInterval(p.ciLower, p.ciUpper, measure)}
      </td>
      <td className="px-2 py-1 tabular-nums">100%</td>
      <td className="px-2 py-1 font-normal">
        k = {p.k}, I² = {formatPercent(p.i2)}
      </td>
    </tr>
  );
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer text-brand-700 underline">The plot's numbers as a table</summary>
      <table className="mt-2 min-w-full text-left text-xs" data-testid="forest-table">
        <caption className="sr-only">Forest plot: {title}</caption>
        <ColumnHeadings columns={["Study", "N", "Effect (95% CI)", "Weight", "Note"]} className="text-slate-600" />
        {analysis.groups.map((group) => (
          <tbody key={group.profileId}>
            {analysis.groups.length > 1 ? (
              <tr>
                <th scope="rowgroup" colSpan={5} className="bg-slate-50 px-2 py-1 text-left">
                  {nameOf(group.profileId)}
                </th>
              </tr>
            ) : null}
            {group.studies.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are rebuilt from the analysis, in its order, on every render
              <tr key={`${i}-${s.input.studyId}`} className="border-t border-slate-100">
                <th scope="row" className="px-2 py-1 text-left font-normal">
                  {s.input.studyTitle}
                </th>
                <td className="px-2 py-1 tabular-nums">{s.n ?? "?"}</td>
                <td className="px-2 py-1 tabular-nums">
                  {s.estimate === null
                    ? "not estimable"
                    : `${formatEffect(s.estimate, measure)} ${formatInterval(s.ciLower, s.ciUpper, measure)}`}
                </td>
                <td className="px-2 py-1 tabular-nums">{s.weight === null ? "—" : `${s.weight.toFixed(1)}%`}</td>
                <td className="px-2 py-1">{s.excluded ? "excluded" : (s.reason ?? "")}</td>
              </tr>
            ))}
            {group.pooled ? pooledRow(analysis.groups.length > 1 ? "Subtotal" : "Pooled", group.pooled, `pooled-${group.profileId}`) : null}
          </tbody>
        ))}
        {analysis.groups.length > 1 && analysis.overall ? <tbody>{pooledRow("Overall", analysis.overall, "overall")}</tbody> : null}
      </table>
    </details>
  );
}
