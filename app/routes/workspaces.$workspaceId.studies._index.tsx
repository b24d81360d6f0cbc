import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ArmRows } from "#app/components/studies/arm-rows.tsx";
import { DESIGN_LABELS } from "#app/components/studies/labels.ts";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { STUDY_DESIGNS } from "#app/domain/studies.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { nestFormData } from "#app/http/form-data.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createStudy, listStudies } from "#app/services/studies.server.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => ({ studies: (await listStudies(user, params.workspaceId!, { limit: 500 })).items }));
}

/** The list of studies with their counts. */
export const shouldRevalidate = revalidateOnLiveEvents(family("study.", "dataset.imported", "result.created"));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  const input = nestFormData(form.entries());
  const arms = ((input.arms as Record<string, string>[] | undefined) ?? []).filter((a) => a.name?.trim());
  const outcome = typeof input.outcome === "string" && input.outcome.trim() ? [{ name: input.outcome, kind: input.outcomeKind }] : [];
  return handleFormAction(
    async () => {
      const study = await createStudy(user, params.workspaceId!, { ...input, design: input.design || null, arms, outcomes: outcome });
      throw redirect(`/workspaces/${params.workspaceId}/studies/${study.id}`);
    },
    "create",
    Object.fromEntries(form),
  );
}

export default function Studies() {
  const { studies } = useLoaderData<typeof loader>();
  const { workspace } = useWorkspace();
  const canCreate = workspace ? roleAtLeast(workspace.role, "contributor") : false;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
      <section aria-labelledby="studies-heading">
        <h2 id="studies-heading" className="text-xl font-semibold">
          Studies & datasets
        </h2>
        {studies.length === 0 ? (
          <div className="mt-4">
            <EmptyState title="No studies yet">
              Each study lists its design, arms and outcome measures, with its datasets (CSV or XLSX, participant-level or summary) and its
              results by patient profile. {canCreate ? "Add the first one with the form." : "Contributors and leads add them."}
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {studies.map((s) => (
              <li key={s.id}>
                <Link to={s.id} className="block px-4 py-3 hover:bg-slate-50">
                  <span className="font-medium">{s.title}</span>
                  <span className="mt-0.5 block text-xs text-slate-500">
                    {s.design ? DESIGN_LABELS[s.design] : "Design not given"}
                    {s.registryId ? ` · ${s.registryId}` : ""}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {canCreate ? (
        <Card className="h-fit">
          <h3 className="text-lg font-semibold">New study</h3>
          <Form method="post" className="mt-4 space-y-3" noValidate>
            {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            <TextField label="Title" name="title" required defaultValue={result?.values?.title} error={result?.fieldErrors.title} />
            <SelectField
              label="Design"
              name="design"
              defaultValue={result?.values?.design ?? "rct"}
              options={[{ value: "", label: "Not given" }, ...STUDY_DESIGNS.map((d) => ({ value: d, label: DESIGN_LABELS[d] }))]}
              error={result?.fieldErrors.design}
            />
            <TextField
              label="Registry id"
              name="registryId"
              placeholder="NCT01559857"
              defaultValue={result?.values?.registryId}
              error={result?.fieldErrors.registryId}
            />
            <TextAreaField
              label="Population"
              name="population"
              rows={2}
              defaultValue={result?.values?.population}
              error={result?.fieldErrors.population}
            />
            <ArmRows errors={result?.fieldErrors ?? {}} />
            <div className="grid gap-2 sm:grid-cols-[1fr_9rem]">
              <TextField
                label="Primary outcome"
                name="outcome"
                placeholder="HAM-D 17 change"
                defaultValue={result?.values?.outcome}
                error={result?.fieldErrors["outcomes.0.name"]}
              />
              <SelectField
                label="Kind"
                name="outcomeKind"
                defaultValue="continuous"
                options={[
                  { value: "continuous", label: "Continuous" },
                  { value: "binary", label: "Binary" },
                ]}
              />
            </div>
            <Button disabled={busy}>{busy ? "Creating…" : "Create study"}</Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
