/** Where each number of a forest plot comes from: the dataset version or the published result behind every input. */
import { Link } from "@remix-run/react";
import type { ComparisonInput } from "#app/domain/comparison.ts";

interface Props {
  workspaceId: string;
  inputs: ComparisonInput[];
  profiles: { id: string; name: string }[];
}

export function InputProvenance({ workspaceId, inputs, profiles }: Props) {
  const rowInputs = inputs;
  return (
    <>
      <h4 className="mt-4 text-sm font-semibold text-slate-800">Where each number comes from</h4>
      <ul className="mt-1 space-y-2 text-sm" data-testid="provenance">
        {rowInputs.map((input) => (
          <li key={input.id} className="rounded border border-slate-100 px-3 py-2">
            <Link to={`/workspaces/${workspaceId}/studies/${input.studyId}`} className="font-medium text-brand-700 hover:underline">
              {input.studyTitle}
            </Link>{" "}
            <span className="text-slate-600">
              · {input.interventionName} vs {input.comparatorName} · {profiles.find((p) => p.id === input.profileId)?.name}
            </span>
            {input.siteSummaryIds?.length ? (
              <p className="text-slate-700">
                Computed at the site, from participant-level data that did not leave it:{" "}
                <Link to={`/workspaces/${workspaceId}/studies/${input.studyId}`} className="text-brand-700 underline">
                  {input.datasetName}
                </Link>
                ; {describeArms(input)}
              </p>
            ) : input.source === "participant" ? (
              <p className="text-slate-700">
                Participant-level:{" "}
                <Link to={`/workspaces/${workspaceId}/datasets/${input.datasetId}`} className="text-brand-700 underline">
                  {input.datasetName}, version {input.datasetVersion}
                </Link>
                ; outcome = {input.outcomeDefinition}; {describeArms(input)}
                {input.conversions?.length ? (
                  <span className="block text-xs text-slate-500">Conversions: {input.conversions.join("; ")}</span>
                ) : null}
              </p>
            ) : (
              <p className="text-slate-700">
                Summary result (version {input.resultVersion}) for “{input.subgroup || "the whole sample"}”; {describeArms(input)}
                {input.cutoffDifferences?.length ? (
                  <span className="block text-xs text-amber-800">Mapped with differences: {input.cutoffDifferences.join(" ")}</span>
                ) : null}
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function describeArms(input: ComparisonInput): string {
  const d = input.data;
  const f = (x: number) => Number(x.toPrecision(4));
  if (d.type === "continuous") {
    return `${f(d.intervention.mean)} ± ${f(d.intervention.sd)} (n = ${d.intervention.n}) vs ${f(d.comparator.mean)} ± ${f(d.comparator.sd)} (n = ${d.comparator.n})`;
  }
  if (d.type === "binary") return `${d.intervention.events}/${d.intervention.n} vs ${d.comparator.events}/${d.comparator.n}`;
  return `${d.measure} ${d.estimate} [${d.ciLower}, ${d.ciUpper}] as reported`;
}
