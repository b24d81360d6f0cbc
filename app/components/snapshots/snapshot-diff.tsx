/** What changed between two analyses (two snapshots, or a snapshot and the live view), cell by cell. */
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import type { SnapshotDiff } from "#app/domain/snapshots.ts";
import { formatEffect, formatInterval } from "#app/components/comparison/format.ts";
import { ColumnHeadings } from "#app/components/ui/column-headings.tsx";

interface Props {
  diff: SnapshotDiff;
  measure: EffectMeasure;
  /** How the two sides are named: "snapshot 1" and "now". */
  beforeLabel: string;
  afterLabel: string;
}

type Cell = SnapshotDiff["moved"][number]["before"];

function describe(cell: Cell, measure: EffectMeasure) {
  if (!cell) return "—";
  return `${formatEffect(cell.estimate, measure)} ${formatInterval(cell.ciLower, cell.ciUpper, measure)}, k = ${cell.k}`;
}

export function SnapshotDiffView({ diff, measure, beforeLabel, afterLabel }: Props) {
  const cells = [
    ...diff.moved.map((c) => ({ ...c, change: "moved" })),
    ...diff.added.map((c) => ({ ...c, change: "new" })),
    ...diff.removed.map((c) => ({ ...c, change: "gone" })),
  ];
  return (
    <div className="space-y-3 text-sm" data-testid="snapshot-diff">
      <p className="font-medium text-slate-800" data-testid="diff-summary">
        {diff.summary}.
      </p>
      {cells.length ? (
        <div className="overflow-x-auto">
          <table className="min-w-full border-collapse">
            <caption className="sr-only">
              Cells that changed from {beforeLabel} to {afterLabel}
            </caption>
            <ColumnHeadings columns={["Intervention", "Profile", "Change", beforeLabel, afterLabel]} />
            <tbody>
              {cells.map((c) => (
                <tr key={`${c.row}|${c.profileId}`} className="border-t border-slate-200">
                  <th scope="row" className="px-2 py-1 text-left font-medium">
                    {c.rowName}
                  </th>
                  <td className="px-2 py-1">{c.profileName}</td>
                  <td className="px-2 py-1">{c.change}</td>
                  <td className="px-2 py-1 tabular-nums">{describe(c.before, measure)}</td>
                  <td className="px-2 py-1 tabular-nums">{describe(c.after, measure)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ul className="list-disc space-y-1 pl-5 text-slate-700">
        {diff.studiesAdded.map((s) => (
          <li key={`added-${s.id}`}>New study: {s.title}</li>
        ))}
        {diff.studiesRemoved.map((s) => (
          <li key={`removed-${s.id}`}>No longer included: {s.title}</li>
        ))}
        {diff.sourcesUpdated.map((s) => (
          <li key={`${s.studyTitle}-${s.what}`}>
            {s.studyTitle}: {s.what} went from version {s.before} to {s.after}
          </li>
        ))}
        {diff.profilesChanged.map((p) => (
          <li key={`profile-${p.id}`}>
            Profile “{p.name}”:{" "}
            {p.before === null ? "new" : p.after === null ? "no longer in the analysis" : `version ${p.before} → ${p.after}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
