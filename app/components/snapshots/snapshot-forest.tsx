/**
 * A frozen forest plot: the numbers stored in the snapshot, drawn with the
 * live comparison's plot and table, nothing recomputed and nothing to exclude.
 */
import { useRef } from "react";
import type { ComparisonInput, ForestAnalysis, MatrixRow } from "#app/domain/comparison.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ForestFigure, forestTitle, PlotDownloads, plotFileBase } from "#app/components/comparison/forest-figure.tsx";
import { InputProvenance } from "#app/components/comparison/input-provenance.tsx";

interface Props {
  workspaceId: string;
  row: MatrixRow;
  profileName: string;
  analysis: ForestAnalysis;
  inputs: ComparisonInput[];
  profiles: { id: string; name: string; text: string }[];
  outcome: { name: string; higherIsBetter: boolean };
  onClose(): void;
}

export function SnapshotForest({ workspaceId, row, profileName, analysis, inputs, profiles, outcome, onClose }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const title = forestTitle(row, profileName);
  const fileBase = plotFileBase(title);
  const shown = new Set(analysis.groups.flatMap((g) => g.studies.map((s) => s.input.id)));
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
            {outcome.name} · {analysis.measure} · {analysis.method}. As frozen: the stored numbers, not recomputed.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <PlotDownloads svgRef={svgRef} fileBase={fileBase} />
          <Button type="button" variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
      <ForestFigure
        svgRef={svgRef}
        analysis={analysis}
        profiles={profiles}
        outcome={outcome}
        title={title}
        empty="No study gave data for this cell."
      />
      <InputProvenance workspaceId={workspaceId} inputs={inputs.filter((i) => shown.has(i.id))} profiles={profiles} />
    </section>
  );
}
