/** The interventions × profiles matrix: each cell the pooled effect, coloured by direction and size, with a legend. */
import type { CellSummary, MatrixRow } from "#app/domain/comparison.ts";
import { effectBand } from "#app/domain/comparison.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import { cellColour, COLOURS, formatEffect, formatInterval, formatPercent, UNCLEAR } from "./format.ts";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";
import { RegistrationBadge } from "#app/components/registrations/registration-badge.tsx";
import type { ProfileRegistrationMark } from "#app/domain/registrations.ts";

interface Props {
  rows: MatrixRow[];
  profiles: { id: string; name: string; text: string; registration?: ProfileRegistrationMark | null }[];
  /** With it, each profile column shows its pre-registration badge (when the analysis carries one). */
  workspaceId?: string;
  measure: EffectMeasure;
  higherIsBetter: boolean;
  selected: { row: string; profile: string | null } | null;
  onSelect(row: string, profile: string | null): void;
}

export function ComparisonMatrix({ rows, profiles, workspaceId, measure, higherIsBetter, selected, onSelect }: Props) {
  return (
    <ScrollRegion label="Comparison matrix" className="rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full border-collapse text-sm" data-testid="comparison-matrix">
        <caption className="sr-only">Pooled effect of each intervention against its comparator, by patient profile</caption>
        <thead>
          <tr className="bg-slate-50 text-left">
            <th scope="col" className="w-56 px-3 py-2 font-semibold text-slate-700">
              Intervention
            </th>
            {profiles.map((p) => (
              <th key={p.id} scope="col" className="min-w-44 px-3 py-2 align-bottom">
                <span className="block font-semibold text-slate-800">{p.name}</span>
                <span className="block text-xs font-normal text-slate-500">{p.text}</span>
                {p.registration && workspaceId ? <RegistrationBadge mark={p.registration} workspaceId={workspaceId} /> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={`border-t border-slate-100 ${row.kind === "class" ? "bg-slate-50/60" : ""}`}>
              <th scope="row" className="px-3 py-2 text-left align-top">
                <button
                  type="button"
                  onClick={() => onSelect(row.key, null)}
                  className={`text-left hover:underline ${row.kind === "class" ? "font-semibold" : "pl-3 font-medium"}`}
                  aria-pressed={selected?.row === row.key && selected.profile === null}
                  title="Open the forest plot of this row across all profiles"
                >
                  {row.kind === "class" ? `${capitalise(row.className)} (all)` : row.name}
                </button>
                <span className="block pl-3 text-xs font-normal text-slate-500">
                  {row.kind === "class"
                    ? "pooled across its interventions"
                    : [capitalise(row.className), row.dose].filter(Boolean).join(" · ")}
                </span>
              </th>
              {row.cells.map((cell, i) => (
                <td key={profiles[i].id} className="p-1 align-top">
                  <MatrixCell
                    cell={cell}
                    measure={measure}
                    higherIsBetter={higherIsBetter}
                    label={`${row.name} in ${profiles[i].name}`}
                    active={selected?.row === row.key && selected.profile === profiles[i].id}
                    onClick={() => onSelect(row.key, profiles[i].id)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function MatrixCell({
  cell,
  measure,
  higherIsBetter,
  label,
  active,
  onClick,
}: {
  cell: CellSummary | null;
  measure: EffectMeasure;
  higherIsBetter: boolean;
  label: string;
  active: boolean;
  onClick(): void;
}) {
  if (!cell) {
    return (
      <div className="rounded px-2 py-3 text-center text-xs text-slate-500" aria-label={`${label}: no data`}>
        no data
      </div>
    );
  }
  const band = effectBand(cell, measure, higherIsBetter);
  const colour = cellColour(band.direction, band.size);
  const sources = [
    cell.sources.participant ? `${cell.sources.participant} participant-level` : "",
    cell.sources.summary ? `${cell.sources.summary} summary` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      data-testid="matrix-cell"
      data-estimate={cell.estimate}
      title={`${label}: open the forest plot`}
      className={`block w-full rounded px-2 py-1.5 text-left leading-tight ${cell.thin ? "border-2 border-dashed border-slate-500" : "border-2 border-transparent"} ${active ? "ring-2 ring-slate-900 ring-offset-1" : ""}`}
      style={{ backgroundColor: colour.bg, color: colour.fg }}
    >
      <span className="block font-semibold tabular-nums">
        {formatEffect(cell.estimate, measure)} <span className="font-normal">{formatInterval(cell.ciLower, cell.ciUpper, measure)}</span>
      </span>
      <span className="block text-xs tabular-nums">
        k = {cell.k} · N = {cell.n ?? "?"} · I² = {formatPercent(cell.i2)}
      </span>
      <span className="block text-xs">{sources}</span>
      {cell.thin ? <span className="mt-0.5 block text-xs font-semibold">◌ thin: {cell.thinReasons.join(", ")}</span> : null}
    </button>
  );
}

export function MatrixLegend({ higherIsBetter, measure }: { higherIsBetter: boolean; measure: EffectMeasure }) {
  const sizes = ["small", "medium", "large"] as const;
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-xs text-slate-700" aria-label="Legend">
      <LegendRamp label="Favours the intervention" colours={sizes.map((s) => COLOURS.favours_intervention[s].bg)} />
      <LegendRamp label="Favours the comparator" colours={sizes.map((s) => COLOURS.favours_comparator[s].bg)} />
      <span className="inline-flex items-center gap-1.5">
        <span className="inline-block h-4 w-6 rounded border border-slate-300" style={{ backgroundColor: UNCLEAR.bg }} /> CI includes no
        effect
      </span>
      <span className="inline-flex items-center gap-1.5">
        <span className="inline-block h-4 w-6 rounded border-2 border-dashed border-slate-500" /> ◌ thin evidence (one study, or a wide CI)
      </span>
      <span>
        Shade: small, medium, large ({measure === "MD" ? "MD has no standard scale" : "Cohen's bands on the SMD scale"}).{" "}
        {higherIsBetter ? "Higher values favour the intervention." : "Lower values favour the intervention."}
      </span>
    </div>
  );
}

function LegendRamp({ label, colours }: { label: string; colours: string[] }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className="inline-flex overflow-hidden rounded border border-slate-300">
        {colours.map((c) => (
          <span key={c} className="inline-block h-4 w-4" style={{ backgroundColor: c }} />
        ))}
      </span>
      {label}
    </span>
  );
}
