import { EmptyState } from "#app/components/ui/notice.tsx";
import type { ResultView } from "#app/domain/results.ts";
import type { Jsonify } from "./jsonify.ts";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";

function reported(data: Jsonify<ResultView>["data"]): string {
  switch (data.type) {
    case "continuous":
      return `${data.intervention.mean} ± ${data.intervention.sd} (n ${data.intervention.n}) vs ${data.comparator.mean} ± ${data.comparator.sd} (n ${data.comparator.n})`;
    case "binary":
      return `${data.intervention.events}/${data.intervention.n} vs ${data.comparator.events}/${data.comparator.n}`;
    case "estimate":
      return `${data.measure} ${data.estimate} (95% CI ${data.ciLower} to ${data.ciUpper})`;
  }
}

export function ResultsTable({ results }: { results: Jsonify<ResultView>[] }) {
  if (results.length === 0) {
    return (
      <EmptyState title="No results yet">
        Results are what the study reported: an arm against a comparator on one outcome, overall or in a subgroup.
      </EmptyState>
    );
  }
  return (
    <ScrollRegion label="Results">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3 font-medium">Comparison</th>
            <th className="py-2 pr-3 font-medium">Outcome</th>
            <th className="py-2 pr-3 font-medium">Subgroup</th>
            <th className="py-2 pr-3 font-medium">As reported</th>
            <th className="py-2 font-medium">Source</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {results.map((r) => (
            <tr key={r.id}>
              <td className="py-2 pr-3">
                {r.intervention.name} <span className="text-slate-500">vs</span> {r.comparator.name}
              </td>
              <td className="py-2 pr-3">{r.outcome.name}</td>
              <td className="py-2 pr-3">{r.subgroup || <span className="text-slate-500">whole sample</span>}</td>
              <td className="py-2 pr-3 tabular-nums">{reported(r.data)}</td>
              <td className="py-2 text-xs text-slate-600">
                {r.source}
                {r.notes ? <span className="block text-slate-500">{r.notes}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
