/** Participants matching a profile in each arm of each dataset (like cohort counts in ATLAS), and the datasets it cannot be applied to, with why. */
import { Link } from "@remix-run/react";
import type { ProfileCountsView } from "#app/domain/profile-summaries.ts";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";

type Row = ProfileCountsView["datasets"][number];

export function ProfileCounts({ counts, workspaceId }: { counts: Row[]; workspaceId: string }) {
  if (counts.length === 0) {
    return <p className="mt-2 text-sm text-slate-600">No participant-level datasets in this workspace yet.</p>;
  }
  const evaluable = counts.filter((c) => c.evaluable);
  const blocked = counts.filter((c) => !c.evaluable);
  return (
    <div className="mt-2 space-y-4">
      {evaluable.length ? (
        <ScrollRegion label="Participants per study" className="rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="profile-counts">
            <thead className="bg-slate-50 text-left">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Study and dataset
                </th>
                <th scope="col" className="px-3 py-2">
                  Arm
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Match
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Do not match
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Undecided (missing)
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {evaluable.flatMap((c) =>
                c.arms.map((arm, i) => (
                  <tr key={`${c.datasetId}-${arm.arm}`} className="border-t border-slate-100">
                    {i === 0 ? (
                      <th scope="rowgroup" rowSpan={c.arms.length} className="px-3 py-2 text-left align-top font-normal">
                        <Link
                          to={`/workspaces/${workspaceId}/studies/${c.studyId}`}
                          className="inline-block py-1 font-medium text-brand-700 hover:underline"
                        >
                          {c.studyTitle}
                        </Link>
                        <Link
                          to={`/workspaces/${workspaceId}/datasets/${c.datasetId}`}
                          className="block py-1 text-xs text-slate-600 hover:underline"
                        >
                          {c.datasetName}, version {c.version}
                        </Link>
                        {c.conversions.map((text) => (
                          <span key={text} className="block text-xs text-slate-500">
                            {text}
                          </span>
                        ))}
                      </th>
                    ) : null}
                    <td className="px-3 py-2">{arm.arm || "(no arm)"}</td>
                    <td className="px-3 py-2 text-right font-semibold tabular-nums">{arm.matched}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{arm.notMatched}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{arm.missing}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{arm.total}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      {blocked.length ? (
        <div>
          <h4 className="text-sm font-semibold text-slate-800">Cannot be evaluated</h4>
          <ul className="mt-1 space-y-1 text-sm" data-testid="profile-blocked">
            {blocked.map((c) => (
              <li key={c.datasetId}>
                <span className="font-medium">{c.studyTitle}</span> ({c.datasetName}, version {c.version}):{" "}
                {c.problems
                  .map(
                    (p) =>
                      `${p.reason === "unit_not_convertible" ? "unit not convertible" : p.reason === "attribute_missing" ? "attribute missing" : "biomarker missing"} — ${p.message}`,
                  )
                  .join("; ")}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
