/**
 * The forest plot of one cell (or one row across profiles), recomputed in the
 * browser as studies are excluded, with exports and the provenance of every input.
 */
import { useMemo, useRef } from "react";
import { analyseForest, type ComparisonInput, inputsOfRow, type MatrixRow } from "#app/domain/comparison.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import type { PoolingMethod } from "#app/domain/meta-analysis.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ForestFigure, forestTitle, PlotDownloads, plotFileBase } from "./forest-figure.tsx";
import { WithinTrialPanel } from "./within-trial-panel.tsx";
import { InputProvenance } from "./input-provenance.tsx";

interface Props {
  workspaceId: string;
  row: MatrixRow;
  profileId: string | null;
  profiles: { id: string; name: string; text: string }[];
  inputs: ComparisonInput[];
  options: { measure: EffectMeasure; method: PoolingMethod; knha: boolean };
  outcome: { name: string; higherIsBetter: boolean };
  exclude: string[];
  onToggleStudy(studyId: string): void;
  onClose(): void;
  /** The comparison's query string (outcome, measure, method, prefer, exclude), for export links. */
  query: string;
}

export function ForestPanel({
  workspaceId,
  row,
  profileId,
  profiles,
  inputs,
  options,
  outcome,
  exclude,
  onToggleStudy,
  onClose,
  query,
}: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const profileIds = useMemo(() => (profileId ? [profileId] : profiles.map((p) => p.id)), [profileId, profiles]);
  const rowInputs = useMemo(
    () => inputsOfRow(inputs, row.key).filter((i) => profileIds.includes(i.profileId)),
    [inputs, row.key, profileIds],
  );
  const analysis = useMemo(() => analyseForest(rowInputs, profileIds, { ...options, exclude }), [rowInputs, options, exclude, profileIds]);
  const studies = [...new Map(rowInputs.map((i) => [i.studyId, i.studyTitle])).entries()];
  const profileName = profileId ? profiles.find((p) => p.id === profileId)?.name : "every profile";
  const title = forestTitle(row, profileName);
  const cellQuery = new URLSearchParams(query);
  cellQuery.set("row", row.key);
  if (profileId) cellQuery.set("profile", profileId);
  const api = `/api/v1/workspaces/${workspaceId}/comparison`;
  const fileBase = plotFileBase(title);

  return (
    <section
      aria-labelledby="forest-heading"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="forest-panel"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id="forest-heading" className="text-lg font-semibold">
            Forest plot: {title}
          </h3>
          <p className="text-sm text-slate-600">
            {outcome.name} · {options.measure} · {options.method}
            {options.knha ? " with Knapp–Hartung" : ""}. Recomputed here as you exclude studies.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <PlotDownloads svgRef={svgRef} fileBase={fileBase} />
          <a
            className="inline-flex items-center rounded-md border border-slate-300 px-3.5 py-2 text-sm font-medium hover:bg-slate-50"
            href={`${api}/cell.R?${cellQuery}`}
          >
            R script
          </a>
          <a
            className="inline-flex items-center rounded-md border border-slate-300 px-3.5 py-2 text-sm font-medium hover:bg-slate-50"
            href={`${api}/inputs.csv?${query}`}
          >
            Inputs CSV
          </a>
          <a
            className="inline-flex items-center rounded-md border border-slate-300 px-3.5 py-2 text-sm font-medium hover:bg-slate-50"
            href={`/workspaces/${workspaceId}/snapshots?${cellQuery}`}
          >
            Freeze this {profileId ? "cell" : "row"}
          </a>
          <Button type="button" variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>

      <fieldset className="mt-3">
        <legend className="text-sm font-medium text-slate-800">Studies (untick to exclude and see the sensitivity)</legend>
        <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
          {studies.map(([studyId, studyTitle]) => (
            <label key={studyId} className="inline-flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={!exclude.includes(studyId)}
                onChange={() => onToggleStudy(studyId)}
                data-testid="include-study"
                data-study={studyId}
              />
              {studyTitle}
            </label>
          ))}
        </div>
      </fieldset>

      <ForestFigure
        svgRef={svgRef}
        analysis={analysis}
        profiles={profiles}
        outcome={outcome}
        title={title}
        empty="No study gives data for this cell."
      />

      {!profileId && profiles.length > 1 ? (
        <WithinTrialPanel api={api} query={cellQuery} profiles={profiles} inputs={rowInputs} options={options} exclude={exclude} />
      ) : null}

      <InputProvenance workspaceId={workspaceId} inputs={rowInputs} profiles={profiles} />
    </section>
  );
}
