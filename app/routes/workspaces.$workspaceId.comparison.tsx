import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useMemo, useState } from "react";
import { ForestPanel } from "#app/components/comparison/forest-panel.tsx";
import { MEASURE_LABELS } from "#app/components/comparison/format.ts";
import { FILTER_SELECT, PoolingFields } from "#app/components/comparison/pooling-fields.tsx";
import { ComparisonMatrix, MatrixLegend } from "#app/components/comparison/matrix.tsx";
import { EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { buildMatrix } from "#app/domain/comparison.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { type ComparisonView, getComparison } from "#app/services/comparison.server.ts";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  // An emptied selector means "the default".
  const query = Object.fromEntries(Object.entries(searchParamsObject(request.url)).filter(([, v]) => v !== ""));
  return await loadOrThrowPage(async () => ({
    view: await getComparison(user, params.workspaceId!, query),
    workspaceId: params.workspaceId!,
  }));
}

/** The matrix pools the workspace's results and datasets by profile. */
export const shouldRevalidate = revalidateOnLiveEvents(
  family("study.", "dataset.", "result.", "profile.", "panel.", "site_summary.", "registration."),
);

export default function Comparison() {
  const data = useLoaderData<typeof loader>();
  const view = data.view as unknown as ComparisonView;
  const submit = useSubmit();
  const [selected, setSelected] = useState<{ row: string; profile: string | null } | null>(null);
  const [exclude, setExclude] = useState<string[]>(view.exclude);
  const options = useMemo(() => ({ measure: view.measure, method: view.method, knha: view.knha }), [view.measure, view.method, view.knha]);
  // The server's rows for the server's exclusions; the same pure function recomputes them at once for the user's.
  const rows = useMemo(() => {
    if (sameSet(exclude, view.exclude)) return view.rows;
    const profileIds = view.profiles.map((p) => p.id);
    return buildMatrix(view.inputs, profileIds, { measure: view.measure, method: view.method, knha: view.knha, exclude });
  }, [view, exclude]);
  const query = new URLSearchParams({
    ...(view.outcome ? { outcome: view.outcome.name } : {}),
    measure: view.measure,
    method: view.method,
    prefer: view.prefer,
    ...(view.knha ? { knha: "true" } : {}),
    ...(exclude.length ? { exclude: exclude.join(",") } : {}),
  }).toString();
  const selectedRow = selected ? rows.find((r) => r.key === selected.row) : undefined;
  const toggle = (studyId: string) =>
    setExclude((current) => (current.includes(studyId) ? current.filter((s) => s !== studyId) : [...current, studyId]));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">Comparison</h2>
          <p className="text-sm text-slate-600">
            Interventions against their comparators, pooled by{" "}
            <Link to="../profiles" relative="path" className="text-brand-700 underline">
              patient profile
            </Link>
            . Click a cell for its forest plot, or an intervention for all its profiles. To ask whether an effect grows with a biomarker
            itself, within each trial, see{" "}
            <Link to="../effect-modification" relative="path" className="text-brand-700 underline">
              who benefits
            </Link>
            .
          </p>
        </div>
        <div className="flex flex-wrap gap-2 text-sm">
          <Link className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50" to={`../snapshots?${query}`} relative="path">
            Freeze as snapshot
          </Link>
          <a
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
            href={`/api/v1/workspaces/${data.workspaceId}/comparison.csv?${query}`}
          >
            Matrix CSV
          </a>
          <a
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
            href={`/api/v1/workspaces/${data.workspaceId}/comparison/inputs.csv?${query}`}
          >
            Inputs CSV
          </a>
        </div>
      </div>

      <Form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
        onChange={(e) => submit(e.currentTarget)}
      >
        <label className="min-w-0 max-w-full text-sm">
          <span className="block font-medium text-slate-800">Outcome</span>
          <select
            name="outcome"
            defaultValue={view.outcome?.name ?? ""}
            className={FILTER_SELECT}
            onChange={(e) => {
              // A new outcome may be of another kind: let its default measure apply.
              const measure = e.currentTarget.form?.elements.namedItem("measure") as HTMLSelectElement | null;
              if (measure) measure.value = "";
            }}
          >
            {view.outcomes.map((o) => (
              <option key={o.key} value={o.name}>
                {o.name} ({o.kind}; {o.studies} {o.studies === 1 ? "study" : "studies"} with data)
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-0 max-w-full text-sm">
          <span className="block font-medium text-slate-800">Effect measure</span>
          <select name="measure" defaultValue={view.measure} className={FILTER_SELECT}>
            <option value="">Default</option>
            {view.measures.map((m) => (
              <option key={m} value={m}>
                {MEASURE_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-0 max-w-full text-sm">
          <span className="block font-medium text-slate-800">When a study has both kinds</span>
          <select name="prefer" defaultValue={view.prefer} className={FILTER_SELECT}>
            <option value="participant">Use its participant-level data</option>
            <option value="summary">Use its published summary result</option>
          </select>
        </label>
        <PoolingFields method={view.method} knha={view.knha} />
      </Form>

      {view.profiles.length === 0 ? (
        <EmptyState
          title="No patient profiles yet"
          action={
            <Link to="../profiles" relative="path" className="text-brand-700 underline">
              Define a profile
            </Link>
          }
        >
          The columns of the comparison are patient profiles, such as hs-CRP &gt; 3 mg/L and BMI ≥ 30 kg/m2. Define one to start.
        </EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="Nothing to compare for this outcome yet">
          Upload participant-level data to a study, or map a study's published subgroup result to a profile, and the pooled effects appear
          here.
        </EmptyState>
      ) : (
        <>
          <MatrixLegend higherIsBetter={view.outcome?.higherIsBetter ?? true} measure={view.measure} />
          {exclude.length ? (
            <Notice>
              Sensitivity analysis: {exclude.length} {exclude.length === 1 ? "study is" : "studies are"} excluded (
              {exclude.map((id) => view.studies.find((s) => s.id === id)?.title ?? id).join("; ")}).{" "}
              <button type="button" className="underline" onClick={() => setExclude([])}>
                Include all again
              </button>
            </Notice>
          ) : null}
          <ComparisonMatrix
            rows={rows}
            profiles={view.profiles}
            workspaceId={data.workspaceId}
            measure={view.measure}
            higherIsBetter={view.outcome?.higherIsBetter ?? true}
            selected={selected}
            onSelect={(row, profile) => setSelected({ row, profile })}
          />
          <p className="text-xs text-slate-500">
            Estimates are the intervention against its comparator ({view.outcome?.name}
            {view.outcome?.higherIsBetter ? "; positive = the intervention did better" : ""}). Participant-level data are synthetic in the
            demo. Profiles may overlap, so a participant can count in several columns.
            {view.setAside.length
              ? ` ${view.setAside.length} input(s) set aside because the same study gave the preferred kind of data for the cell.`
              : ""}
          </p>
        </>
      )}

      {selected && selectedRow && view.outcome ? (
        <ForestPanel
          key={`${selected.row}|${selected.profile}`}
          workspaceId={data.workspaceId}
          row={selectedRow}
          profileId={selected.profile}
          profiles={view.profiles}
          inputs={view.inputs}
          options={options}
          outcome={{ name: view.outcome.name, higherIsBetter: view.outcome.higherIsBetter }}
          exclude={exclude}
          onToggleStudy={toggle}
          onClose={() => setSelected(null)}
          query={query}
        />
      ) : null}
    </div>
  );
}

function sameSet(a: string[], b: string[]) {
  return a.length === b.length && a.every((x) => b.includes(x));
}
