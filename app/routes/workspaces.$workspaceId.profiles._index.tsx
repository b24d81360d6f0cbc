import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CriteriaBuilder, submittedCriteria } from "#app/components/profiles/criteria-builder.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { roleAtLeast } from "#app/domain/roles.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { criteriaField } from "#app/http/profile-form.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createProfile, listProfileBiomarkers, listProfiles } from "#app/services/profiles.server.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => ({
    profiles: await listProfiles(user, params.workspaceId!),
    biomarkers: await listProfileBiomarkers(user, params.workspaceId!),
  }));
}

/** The profiles and the biomarkers they may use. */
export const shouldRevalidate = revalidateOnLiveEvents(family("profile.", "panel."));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  return handleFormAction(
    async () => {
      const profile = await createProfile(user, params.workspaceId!, {
        name: form.get("name"),
        description: form.get("description") ?? "",
        criteria: criteriaField(form.get("criteria")),
      });
      throw redirect(`/workspaces/${params.workspaceId}/profiles/${profile.id}`);
    },
    "create",
    Object.fromEntries(form),
  );
}

export default function Profiles() {
  const { profiles, biomarkers } = useLoaderData<typeof loader>();
  const { workspace } = useWorkspace();
  const canCreate = workspace ? roleAtLeast(workspace.role, "contributor") : false;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_30rem]">
      <section aria-labelledby="profiles-heading">
        <h2 id="profiles-heading" className="text-xl font-semibold">
          Patient profiles
        </h2>
        <p className="text-sm text-slate-600">
          Structured criteria over the panel's biomarkers, with units. Each is applied to every participant-level dataset after unit
          harmonisation and becomes a column of the{" "}
          <Link to="../comparison" relative="path" className="text-brand-700 underline">
            comparison
          </Link>
          .
        </p>
        {profiles.length === 0 ? (
          <div className="mt-4">
            <EmptyState title="No profiles yet">
              A profile such as “hs-CRP &gt; 3 mg/L and BMI ≥ 30 kg/m2” selects the participants it describes in every dataset.{" "}
              {canCreate ? "Define the first one with the form." : "Contributors and leads define them."}
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {profiles.map((p) => (
              <li key={p.id}>
                <Link to={p.id} className="block px-4 py-3 hover:bg-slate-50">
                  <span className="font-medium">{p.name}</span> <span className="text-xs text-slate-500">version {p.version}</span>
                  <span className="mt-0.5 block text-sm text-slate-700">{p.text}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {canCreate ? (
        <Card className="h-fit">
          <h3 className="text-lg font-semibold">New profile</h3>
          <Form method="post" className="mt-4 space-y-3" noValidate>
            {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            <TextField
              label="Name"
              name="name"
              required
              placeholder="Immuno-metabolic"
              defaultValue={result?.values?.name}
              error={result?.fieldErrors.name}
            />
            <TextAreaField
              label="Description"
              name="description"
              rows={2}
              defaultValue={result?.values?.description}
              error={result?.fieldErrors.description}
            />
            <CriteriaBuilder
              biomarkers={biomarkers}
              initial={submittedCriteria(result?.values?.criteria)}
              errors={result?.fieldErrors ?? {}}
            />
            <Button disabled={busy}>{busy ? "Saving…" : "Create profile"}</Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
