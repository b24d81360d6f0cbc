import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ARM_CLASS_LABELS, DESIGN_LABELS, registryUrl } from "#app/components/studies/labels.ts";
import { CommentsPanel } from "#app/components/comments/comments-panel.tsx";
import { ResultForm } from "#app/components/studies/result-form.tsx";
import { ResultsTable } from "#app/components/studies/results-table.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { roleAtLeast } from "#app/domain/roles.ts";
import { nestFormData, numberField } from "#app/http/form-data.ts";
import { resultInput, siteSummaryFile } from "#app/http/study-forms.server.ts";
import type { FormFailure } from "#app/domain/form-failure.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import { latestDatasetsOfStudy } from "#app/services/dataset-views.server.ts";
import { createResult, listResults } from "#app/services/results.server.ts";
import { listSiteSummaries, uploadSiteSummary } from "#app/services/site-summaries.server.ts";
import { siteSummaryJson } from "#app/public-shapes/site-summaries.ts";
import { SiteSummaries } from "#app/components/studies/site-summaries.tsx";
import { getStudy, updateStudy } from "#app/services/studies.server.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { aboutStudy, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";
import { useLivePatched } from "#app/realtime/live-events.ts";
import { patchStudyPage, patchesStudyPage } from "#app/realtime/patches/study-page.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => {
    const study = await getStudy(user, workspaceId, params.studyId!);
    return {
      study,
      datasets: await latestDatasetsOfStudy(study.id),
      siteSummaries: (await listSiteSummaries(user, workspaceId, study.id)).map(siteSummaryJson),
      results: (await listResults(user, workspaceId, { studyId: study.id, limit: 500 })).items,
    };
  });
}

/** The study's site summaries; the study, its datasets, results and comments patch themselves. */
export const shouldRevalidate = revalidateOnLiveEvents((event, params) => !patchesStudyPage(event) && aboutStudy(event, params));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  const form = await request.formData();
  const input = nestFormData(form.entries());
  const intent = String(input.intent ?? "");
  return handleFormAction(
    async () => {
      if (intent === "upload-site-summary") {
        await uploadSiteSummary(user, workspaceId, params.studyId!, { site: input.site, summary: await siteSummaryFile(form.get("file")) });
        return { ok: true as const, intent };
      }
      if (intent === "add-result") {
        await createResult(user, workspaceId, { ...resultInput(input), studyId: params.studyId });
        return { ok: true as const, intent };
      }
      if (intent === "edit-study") {
        await updateStudy(user, workspaceId, params.studyId!, {
          baseVersion: numberField(input.baseVersion),
          title: input.title,
          registryId: input.registryId,
          population: input.population,
        });
        return { ok: true as const, intent };
      }
      throw validationFailed("Unknown action.");
    },
    intent,
    Object.fromEntries(form),
  );
}

export default function StudyPage() {
  const { study, datasets, results, siteSummaries } = useLivePatched(useLoaderData<typeof loader>(), patchStudyPage);
  const { workspace } = useWorkspace();
  const canEdit = workspace ? roleAtLeast(workspace.role, "contributor") : false;
  const result = useActionData<typeof action>();
  const failure = (intent: string) => (result && !result.ok && result.intent === intent ? (result as FormFailure) : undefined);
  const registry = registryUrl(study.registryId);
  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
      <div className="min-w-0 space-y-6">
        <div>
          <Link to=".." relative="path" className="text-sm text-brand-700 underline">
            All studies
          </Link>
          <h2 className="mt-2 text-xl font-semibold">{study.title}</h2>
          <p className="mt-1 text-sm text-slate-600">
            {study.design ? DESIGN_LABELS[study.design] : "Design not given"}
            {study.registryId ? (
              <>
                {" · "}
                {registry ? (
                  <a className="underline" href={registry} rel="noreferrer noopener" target="_blank">
                    {study.registryId}
                  </a>
                ) : (
                  study.registryId
                )}
              </>
            ) : null}
            {" · "}version {study.version}
          </p>
          {study.population ? <p className="mt-2 max-w-prose text-slate-700">{study.population}</p> : null}
        </div>

        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <h3 className="font-semibold">Arms</h3>
            {study.arms.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">No arms yet.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                {study.arms.map((a) => (
                  <li key={a.id}>
                    <span className="font-medium">{a.name}</span> <span className="text-slate-500">· {ARM_CLASS_LABELS[a.class]}</span>
                    {a.dose ? <span className="text-slate-500"> · {a.dose}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <h3 className="font-semibold">Outcome measures</h3>
            {study.outcomes.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">No outcome measures yet.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                {study.outcomes.map((o) => (
                  <li key={o.id}>
                    <span className="font-medium">{o.name}</span> <span className="text-slate-500">· {o.kind}</span>
                    {o.timepoint ? <span className="text-slate-500"> · {o.timepoint}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>

        <section aria-labelledby="datasets-heading" data-section="datasets">
          <div className="flex items-baseline justify-between">
            <h3 id="datasets-heading" className="text-lg font-semibold">
              Datasets
            </h3>
            {canEdit ? (
              <Link to="datasets/new" className="text-sm text-brand-700 underline">
                Upload a dataset
              </Link>
            ) : null}
          </div>
          {datasets.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">
              No datasets uploaded yet. {study.panelId ? "" : "Link the study to a biomarker panel so uploaded columns can be harmonised."}
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
              {datasets.map((d) => (
                <li key={d.id}>
                  <Link
                    to={`/workspaces/${study.workspaceId}/datasets/${d.id}`}
                    className="flex items-baseline justify-between px-4 py-2 hover:bg-slate-50"
                  >
                    <span className="font-medium">{d.name}</span>
                    <span className="text-xs text-slate-500">
                      version {d.version} · {d.rowCount.toLocaleString("en")} rows
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="site-summary-heading" data-section="site-summary">
          <h3 id="site-summary-heading" className="text-lg font-semibold">
            Data that cannot leave a site
          </h3>
          <p className="mt-2 max-w-prose text-sm text-slate-600">
            A partner who may not upload participant-level data can summarise it on its own machine instead. Download the study's site kit
            (its arms, outcomes, panel and the workspace's profiles) and the site script, and give both to the partner. They run{" "}
            <code className="rounded bg-slate-100 px-1">node consilience-site.mjs summarise data.csv --kit site-kit.json</code> (Node 18 or
            later, no network needed), which reads the CSV as an upload here would and writes site-summary.json: per-arm summaries for each
            profile and the treatment × biomarker interactions, with every cell of fewer than 5 participants withheld and listed, and no
            participant's own values. Upload the file they send back below: its numbers then count in the comparison and in who benefits.
          </p>
          <p className="mt-2 flex gap-4 text-sm">
            <a
              href={`/api/v1/workspaces/${study.workspaceId}/studies/${study.id}/site-kit.json`}
              className="text-brand-700 underline"
              download
            >
              Site kit (JSON)
            </a>
            <a href="/downloads/consilience-site.mjs" className="text-brand-700 underline" download>
              Site script (consilience-site.mjs)
            </a>
          </p>
          <SiteSummaries summaries={siteSummaries} canUpload={canEdit} failure={failure("upload-site-summary")} />
        </section>

        <section aria-labelledby="results-heading" className="space-y-3">
          <h3 id="results-heading" className="text-lg font-semibold">
            Results
          </h3>
          <ResultsTable results={results} />
          {canEdit ? (
            <Card>
              <h4 className="font-semibold">Add a result</h4>
              <div className="mt-3">
                <ResultForm key={results.length} arms={study.arms} outcomes={study.outcomes} failure={failure("add-result")} />
              </div>
            </Card>
          ) : null}
        </section>

        {canEdit ? (
          <Card>
            <h3 className="font-semibold">Edit study</h3>
            <Form method="post" className="mt-3 space-y-3" key={study.version}>
              <input type="hidden" name="intent" value="edit-study" />
              <input type="hidden" name="baseVersion" value={study.version} />
              {failure("edit-study")?.formError ? <Notice tone="error">{failure("edit-study")!.formError}</Notice> : null}
              {result?.ok && result.intent === "edit-study" ? <Notice tone="success">Saved as version {study.version}.</Notice> : null}
              <TextField label="Title" name="title" defaultValue={study.title} error={failure("edit-study")?.fieldErrors.title} />
              <TextField
                label="Registry id"
                name="registryId"
                defaultValue={study.registryId ?? ""}
                error={failure("edit-study")?.fieldErrors.registryId}
              />
              <TextAreaField label="Population" name="population" rows={2} defaultValue={study.population} />
              <Button variant="secondary">Save study</Button>
            </Form>
          </Card>
        ) : null}
      </div>
      <aside className="xl:sticky xl:top-4 xl:self-start">
        <CommentsPanel target={{ type: "study", id: study.id }} title="Discussion" />
      </aside>
    </div>
  );
}
