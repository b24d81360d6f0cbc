/**
 * The parts of a forest plot panel that the live comparison and a frozen
 * snapshot share: its title, the plot with its table of numbers, and the
 * SVG / PNG downloads of what is drawn.
 */
import type { RefObject } from "react";
import type { ForestAnalysis, MatrixRow } from "#app/domain/comparison.ts";
import { Button } from "#app/components/ui/button.tsx";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";
import { ForestPlot } from "./forest-plot.tsx";
import { ForestTable } from "./forest-table.tsx";
import { downloadPng, downloadSvg } from "./svg-export.ts";

/** "Minocycline · High CRP", or "Anti-inflammatory (all) · every profile" for a class row. */
export function forestTitle(row: MatrixRow, profileName: string | undefined): string {
  return `${row.kind === "class" ? `${row.className} (all)` : row.name} · ${profileName}`;
}

/** A file name for the plot's downloads, from its title. */
export function plotFileBase(title: string): string {
  return title.replace(/[^\w.-]+/g, "_").slice(0, 60);
}

export function PlotDownloads({ svgRef, fileBase }: { svgRef: RefObject<SVGSVGElement>; fileBase: string }) {
  return (
    <>
      <Button type="button" variant="secondary" onClick={() => svgRef.current && downloadSvg(svgRef.current, `${fileBase}.svg`)}>
        SVG
      </Button>
      <Button type="button" variant="secondary" onClick={() => svgRef.current && downloadPng(svgRef.current, `${fileBase}.png`)}>
        PNG
      </Button>
    </>
  );
}

interface FigureProps {
  svgRef: RefObject<SVGSVGElement>;
  analysis: ForestAnalysis;
  profiles: { id: string; name: string; text: string }[];
  outcome: { name: string; higherIsBetter: boolean };
  title: string;
  /** Said when no study gave data for the cell. */
  empty: string;
}

/** The plot (scrolling inside its own box on a narrow screen) and the same numbers as a table for screen readers. */
export function ForestFigure({ svgRef, analysis, profiles, outcome, title, empty }: FigureProps) {
  if (!analysis.groups.length) return <p className="mt-4 text-sm text-slate-600">{empty}</p>;
  return (
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
  );
}
