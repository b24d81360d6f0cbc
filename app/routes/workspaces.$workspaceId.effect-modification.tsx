import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useMemo, useState } from "react";
import { AnalysisChoices } from "#app/components/effect-modification/analysis-choices.tsx";
import { AcrossTrialsCheck, TrialTable } from "#app/components/effect-modification/trial-table.tsx";
import { InteractionForest } from "#app/components/effect-modification/interaction-forest.tsx";
import { InteractionSummary, treatmentWords } from "#app/components/effect-modification/interaction-summary.tsx";
import { ModificationMatrix } from "#app/components/effect-modification/modification-matrix.tsx";
import { ModificationPlot } from "#app/components/effect-modification/modification-plot.tsx";
import { EffectModifierRegistration } from "#app/components/registrations/effect-modifier-badge.tsx";
import { EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { poolTrials } from "#app/domain/effect-modification.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getEffectModificationView } from "#app/services/effect-modification-view.server.ts";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  // An emptied selector means "the default".
  const query = Object.fromEntries(Object.entries(searchParamsObject(request.url)).filter(([, v]) => v !== ""));
  return await loadOrThrowPage(async () => ({
    view: await getEffectModificationView(user, params.workspaceId!, query),
    workspaceId: params.workspaceId!,
  }));
}

/** Fits read the participant rows, results and site summaries; the badge reads the registrations. */
export const shouldRevalidate = revalidateOnLiveEvents(
  family("study.", "dataset.", "result.", "profile.", "panel.", "site_summary.", "registration."),
);

export default function EffectModification() {
  const data = useLoaderData<typeof loader>();
  const view = data.view as EffectModificationView;
  const submit = useSubmit();
  const [exclude, setExclude] = useState<string[]>(view.exclude);
  const options = useMemo(() => ({ method: view.method, knha: view.knha }), [view.method, view.knha]);
  // The server pooled for its exclusions; the same pure function re-pools at once for the user's.
  const pooledView = useMemo(
    () => (sameSet(exclude, view.exclude) ? view : { ...view, ...poolTrials(view.trials, exclude, options) }),
    [view, exclude, options],
  );
  const query = new URLSearchParams({
    ...(view.outcome ? { outcome: view.outcome.name } : {}),
    ...(view.intervention ? { intervention: view.intervention } : {}),
    ...(view.biomarker ? { biomarker: view.biomarker.code } : {}),
    scale: view.transform.scale,
    per: String(view.transform.per),
    method: view.method,
    ...(view.knha ? { knha: "true" } : {}),
    ...(exclude.length ? { exclude: exclude.join(",") } : {}),
  }).toString();
  const toggle = (key: string) => setExclude((current) => (current.includes(key) ? current.filter((k) => k !== key) : [...current, key]));
  const chosen = view.interventions.find((i) => i.key === view.intervention);
  const pooled = pooledView.pooled;
  const api = `/api/v1/workspaces/${data.workspaceId}/effect-modification`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold">Who benefits</h2>
          <p className="max-w-3xl text-sm text-slate-600">
            Does the treatment work better the higher the biomarker? Each trial's treatment × biomarker interaction is estimated from its
            participants, with the biomarker kept continuous, and the within-trial interactions are pooled. See also the{" "}
            <Link to="../comparison" relative="path" className="text-brand-700 underline">
              comparison by patient profile
            </Link>
            .
          </p>
        </div>
        {view.trials.length ? (
          <div className="flex flex-wrap gap-2 text-sm">
            <Link
              className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
              to={`../snapshots?scope=effect-modification&${query}`}
              relative="path"
            >
              Freeze as snapshot
            </Link>
            <a className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50" href={`${api}.csv?${query}`}>
              Results CSV
            </a>
            <a className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50" href={`${api}/data.csv?${query}`}>
              Data CSV
            </a>
            <a
              className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
              href={`${api}.R?${query}`}
              data-testid="r-script"
            >
              R script
            </a>
          </div>
        ) : null}
      </div>

      <AnalysisChoices view={view} onChange={(form) => submit(form)} />

      {view.outcome ? (
        <ModificationMatrix
          workspaceId={data.workspaceId}
          query={new URLSearchParams(query)}
          selected={{ intervention: view.intervention, biomarker: view.biomarker?.code ?? null }}
        />
      ) : null}

      {!view.outcome || !view.biomarker || !view.intervention ? (
        <EmptyState title="Nothing to analyse yet">
          Effect modification needs participant-level data: upload a dataset with an arm column, the outcome and a panel biomarker to a
          study with an intervention and a comparator.
        </EmptyState>
      ) : view.trials.length === 0 ? (
        <EmptyState title={`No trial of ${chosen?.name ?? "this intervention"} measures ${view.biomarker.label}`}>
          {view.skipped.length
            ? view.skipped.map((s) => `${s.studyTitle} (${s.datasetName}): ${s.reason}`).join(" ")
            : "Choose another biomarker or intervention."}
        </EmptyState>
      ) : (
        <>
          {view.registration ? (
            <EffectModifierRegistration mark={view.registration} biomarker={view.biomarker.label} workspaceId={data.workspaceId} />
          ) : null}
          <InteractionSummary
            view={{ ...view, biomarker: view.biomarker }}
            pooled={pooled}
            treatment={treatmentWords(view)}
            nonePooled="Every trial is excluded: include one to pool."
            live
          />
          {exclude.length ? (
            <Notice>
              Sensitivity analysis: {exclude.length} {exclude.length === 1 ? "trial is" : "trials are"} excluded.{" "}
              <button type="button" className="underline" onClick={() => setExclude([])}>
                Include all again
              </button>
            </Notice>
          ) : null}
          <div className="space-y-4">
            <div className="max-w-4xl overflow-x-auto rounded-lg border border-slate-200 bg-white p-2">
              <ModificationPlot
                view={view}
                line={pooledView.line}
                transform={view.transform}
                biomarker={view.biomarker}
                exclude={exclude}
              />
            </div>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2">
              <InteractionForest
                trials={view.trials}
                pooled={pooled}
                exclude={exclude}
                weights={pooledView.pooled?.weights ?? {}}
                title={`${chosen?.name ?? ""} × ${view.biomarker.label} · ${view.outcome.name}`}
                stepText={view.transformText}
              />
            </div>
          </div>
          <AcrossTrialsCheck across={pooledView.across} within={pooled} biomarkerLabel={view.biomarker.label} />
          <TrialTable view={view} exclude={exclude} onToggle={toggle} />
        </>
      )}
    </div>
  );
}

function sameSet(a: string[], b: string[]) {
  return a.length === b.length && a.every((x) => b.includes(x));
}
