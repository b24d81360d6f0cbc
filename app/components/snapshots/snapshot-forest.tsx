/**
 * A frozen forest plot: the numbers stored in the snapshot, drawn with the
 * live comparison's plot and table, nothing recomputed and nothing to exclude.
 */
import { useRef } from "react";
import type { ComparisonInput, ForestAnalysis, MatrixRow } from "#app/domain/comparison.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";
import { ForestPlot } from "#app/components/comparison/forest-plot.tsx";
import { ForestTable } from "#app/components/comparison/forest-table.tsx";
import { InputProvenance } from "#app/components/comparison/input-provenance.tsx";
import { downloadPng, downloadSvg } from "#app/components/comparison/svg-export.ts";

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
  const title = `${row.kind === "class" ? `${row.className} (all)` : row.name} · ${profileName}`;
  const fileBase = title.replace(/[^\w.-]+/g, "_").slice(0, 60);
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
          <Button type="button" variant="secondary" onClick={() => svgRef.current && downloadSvg(svgRef.current, `${fileBase}.svg`)}>
            SVG
          </Button>
          <Button type="button" variant="secondary" onClick={() => svgRef.current && downloadPng(svgRef.current, `${fileBase}.png`)}>
            PNG
          </Button>
          <Button type="button" variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
      {analysis.groups.length ? (
        <>
          <ScrollRegion label="Forest plot" className="mt-4">
            <div className="min-w-[720px]">
              <ForestPlot
                ref={svgRef}
                analysis={analysis}
                profiles={profiles}
                higherIsBetter={outcome.higherIsBetter}
                title={title}
                outcomeName={outcome.name}
              />
            </div>
          </ScrollRegion>
          <ForestTable analysis={analysis} profiles={profiles} title={title} />
        </>
      ) : (
        <p className="mt-4 text-sm text-slate-600">No study gave data for this cell.</p>
      )}
      <InputProvenance workspaceId={workspaceId} inputs={inputs.filter((i) => shown.has(i.id))} profiles={profiles} />
    </section>
  );
}
