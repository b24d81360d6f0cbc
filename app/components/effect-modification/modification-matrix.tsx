/**
 * Interventions × biomarkers: in each cell the pooled within-trial interaction
 * on the biomarker's usual scale, coloured as the comparison matrix is (blue
 * where the benefit grows with the biomarker, orange where it shrinks, grey when
 * the CI includes no modification), with the thin-evidence marker for a single
 * trial. A column whose biomarker a registration names says whether it was
 * pre-specified or is exploratory. A cell opens that analysis below. Loaded
 * after the page, since it fits every pair.
 */
import { Link, useFetcher } from "@remix-run/react";
import { useEffect } from "react";
import { COLOURS, formatNumber, formatRange, UNCLEAR } from "#app/components/comparison/format.ts";
import type { EffectModificationMatrix } from "#app/public-shapes/effect-modification.ts";
import { EffectModifierBadge } from "#app/components/registrations/effect-modifier-badge.tsx";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";

type Cell = EffectModificationMatrix["rows"][number]["cells"][number];

function colourOf(cell: Cell, higherIsBetter: boolean) {
  const p = cell.pooled;
  if (!p || (p.ciLower <= 0 && p.ciUpper >= 0)) return UNCLEAR;
  const grows = p.estimate > 0 === higherIsBetter;
  const ramp = grows ? COLOURS.favours_intervention : COLOURS.favours_comparator;
  // Shade by certainty: a CI far from 0 (p < 0.001) is drawn darker than one that only just excludes it.
  return ramp[p.pval < 0.001 ? "medium" : "small"];
}

export function ModificationMatrix({
  workspaceId,
  query,
  selected,
}: {
  workspaceId: string;
  query: URLSearchParams;
  selected: { intervention: string | null; biomarker: string | null };
}) {
  const fetcher = useFetcher<EffectModificationMatrix>();
  const params = new URLSearchParams();
  for (const key of ["outcome", "method", "knha"]) if (query.get(key)) params.set(key, query.get(key)!);
  const url = `/api/v1/workspaces/${workspaceId}/effect-modification/matrix?${params}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per distinct URL; the fetcher object changes every render.
  useEffect(() => {
    fetcher.load(url);
  }, [url]);
  const matrix = fetcher.data;
  if (!matrix) return <p className="text-sm text-slate-500">Fitting every intervention against every biomarker…</p>;
  if (!matrix.rows.length || !matrix.biomarkers.length) return null;
  const link = (row: string, biomarker: string) => {
    const next = new URLSearchParams(params);
    next.set("intervention", row);
    next.set("biomarker", biomarker);
    return `?${next}`;
  };
  return (
    <ScrollRegion label="Effect modification matrix" className="rounded-lg border border-slate-200 bg-white" testId="modification-matrix">
      <table className="text-sm">
        <caption className="px-3 pt-3 text-left text-slate-700">
          <span className="font-medium text-slate-800">Every intervention against every biomarker</span>: the pooled within-trial
          interaction ({matrix.effectScale}) on each biomarker's usual scale. Blue: the benefit grows with the biomarker; orange: it
          shrinks; grey: no clear modification; ◌ one trial only.
          {matrix.biomarkers.some((b) => b.registration)
            ? " Under each biomarker: pre-specified in a registration made before its data, or exploratory."
            : ""}
        </caption>
        <thead>
          <tr className="text-left text-slate-600">
            <th className="px-3 py-2">Intervention</th>
            {matrix.biomarkers.map((b) => (
              <th key={b.code} className="px-2 py-2 align-bottom font-medium">
                {b.label}
                {b.registration ? (
                  <span className="block">
                    <EffectModifierBadge mark={b.registration} workspaceId={workspaceId} compact />
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((row) => (
            <tr key={row.key} className="border-t border-slate-100">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                {row.name}
              </th>
              {row.cells.map((cell) => {
                const colour = colourOf(cell, matrix.higherIsBetter);
                const active = selected.intervention === row.key && selected.biomarker === cell.biomarker;
                return (
                  <td key={cell.biomarker} className="px-1 py-1">
                    {cell.pooled ? (
                      <Link
                        to={link(row.key, cell.biomarker)}
                        preventScrollReset
                        data-testid="modification-cell"
                        title={`${row.name}, ${cell.transformText}: open the analysis`}
                        className={`block min-w-28 rounded px-2 py-1 leading-tight ${cell.pooled.k === 1 ? "border-2 border-dashed border-slate-500" : "border-2 border-transparent"} ${active ? "ring-2 ring-slate-900 ring-offset-1" : ""}`}
                        style={{ backgroundColor: colour.bg, color: colour.fg }}
                      >
                        <span className="block font-semibold tabular-nums">
                          {formatNumber(cell.pooled.estimate)}{" "}
                          <span className="font-normal">{formatRange(cell.pooled.ciLower, cell.pooled.ciUpper)}</span>
                        </span>
                        <span className="block text-xs">
                          k = {cell.pooled.k} · N = {cell.n}
                          {cell.pooled.k === 1 ? " · ◌" : ""}
                        </span>
                      </Link>
                    ) : (
                      <span className="block px-2 py-1 text-center text-xs text-slate-500">{cell.trials ? "not fitted" : "no data"}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
