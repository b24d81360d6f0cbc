import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ProfileCounts } from "#app/components/profiles/profile-counts.tsx";
import { CriteriaBuilder, submittedCriteria } from "#app/components/profiles/criteria-builder.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import type { CriteriaGroup } from "#app/domain/profiles.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { numberField } from "#app/http/form-data.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { criteriaField } from "#app/http/profile-form.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getProfileCounts } from "#app/services/comparison.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import {
  getProfile,
  listProfileBiomarkers,
  listProfileVersions,
  listResultMappings,
  mapResultToProfile,
  updateProfile,
} from "#app/services/profiles.server.ts";
import { listResults } from "#app/services/results.server.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { either, family, revalidateOnLiveEvents, targets } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => {
    const profile = await getProfile(user, workspaceId, params.profileId!);
    const mappings = await listResultMappings(user, workspaceId);
    const results = (await listResults(user, workspaceId, { limit: 500 })).items.map((r) => ({
      id: r.id,
      label: `${r.studyTitle}: ${r.intervention.name} vs ${r.comparator.name}${r.subgroup ? `, ${r.subgroup}` : ", whole sample"} (${r.outcome.name})`,
      mappedTo: mappings.find((m) => m.resultId === r.id)?.profileName ?? null,
    }));
    return {
      profile,
      counts: await getProfileCounts(user, workspaceId, profile.id),
      versions: await listProfileVersions(user, workspaceId, profile.id),
      biomarkers: await listProfileBiomarkers(user, workspaceId),
      mapped: mappings
        .filter((m) => m.profileId === profile.id)
        .map((m) => ({ ...m, label: results.find((r) => r.id === m.resultId)?.label ?? m.resultId })),
      results,
    };
  });
}

/** The profile, its counts over the datasets and the results mapped to it. */
export const shouldRevalidate = revalidateOnLiveEvents(either(targets("profileId"), family("dataset.", "result.", "panel.")));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  return handleFormAction(
    async () => {
      if (intent === "edit") {
        await updateProfile(user, workspaceId, params.profileId!, {
          baseVersion: numberField(form.get("baseVersion")),
          name: form.get("name") ?? undefined,
          description: form.get("description") ?? undefined,
          criteria: criteriaField(form.get("criteria")),
        });
        return { ok: true as const, intent };
      }
      if (intent === "map") {
        const resultId = String(form.get("resultId") ?? "");
        if (!resultId) throw validationFailed("resultId: choose a result.", [{ field: "resultId", message: "Choose a result." }]);
        await mapResultToProfile(user, workspaceId, resultId, { profileId: params.profileId });
        return { ok: true as const, intent };
      }
      if (intent === "unmap") {
        await mapResultToProfile(user, workspaceId, String(form.get("resultId") ?? ""), { profileId: null });
        return { ok: true as const, intent };
      }
      throw validationFailed("Unknown action.");
    },
    intent,
    Object.fromEntries(form),
  );
}

export default function ProfilePage() {
  const { profile, counts, versions, biomarkers, mapped, results } = useLoaderData<typeof loader>();
  const { workspace } = useWorkspace();
  const canEdit = workspace ? roleAtLeast(workspace.role, "contributor") : false;
  const result = useActionData<typeof action>();
  const failed = result && "ok" in result && result.ok === false ? result : null;
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.fieldErrors : {});
  return (
    <div className="space-y-6">
      <div>
        <Link to=".." relative="path" className="text-sm text-brand-700 hover:underline">
          ← Patient profiles
        </Link>
        <h2 className="mt-1 text-xl font-semibold">{profile.name}</h2>
        <p className="text-slate-800" data-testid="profile-text">
          {profile.text}
        </p>
        <p className="text-xs text-slate-500">
          Version {profile.version}
          {profile.description ? ` · ${profile.description}` : ""}
        </p>
      </div>

      <section aria-labelledby="counts-heading">
        <h3 id="counts-heading" className="text-lg font-semibold">
          Who matches, per study and arm
        </h3>
        <ProfileCounts counts={counts.datasets} workspaceId={workspace?.id ?? ""} />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h3 className="text-lg font-semibold">Published results mapped to this profile</h3>
          {mapped.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">
              None yet. A result reported for a subgroup (say “CRP &gt; 5 mg/L”) can stand for this profile in the comparison.
            </p>
          ) : (
            <ul className="mt-2 space-y-2 text-sm">
              {mapped.map((m) => (
                <li key={m.resultId} className="rounded border border-slate-100 px-3 py-2">
                  <span className="font-medium">{m.label}</span>
                  <span className={`block text-xs ${m.cutoff.matches ? "text-emerald-800" : "text-amber-800"}`}>{m.cutoff.summary}</span>
                  {canEdit ? (
                    <Form method="post" className="mt-1">
                      <input type="hidden" name="intent" value="unmap" />
                      <input type="hidden" name="resultId" value={m.resultId} />
                      <button type="submit" className="text-xs text-red-700 hover:underline">
                        Unmap
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {canEdit && results.length ? (
            <Form method="post" className="mt-4 space-y-2">
              <input type="hidden" name="intent" value="map" />
              {failed?.intent === "map" && failed.formError ? <Notice tone="error">{failed.formError}</Notice> : null}
              <SelectField
                label="Map a result to this profile"
                name="resultId"
                defaultValue=""
                options={[
                  { value: "", label: "Choose a result…" },
                  ...results.map((r) => ({ value: r.id, label: r.mappedTo ? `${r.label} — now: ${r.mappedTo}` : r.label })),
                ]}
                error={errorsFor("map").resultId}
              />
              <Button disabled={busy}>Map result</Button>
            </Form>
          ) : null}
        </Card>

        {canEdit ? (
          <Card>
            <h3 className="text-lg font-semibold">Edit</h3>
            <Form method="post" className="mt-3 space-y-3" noValidate key={profile.version}>
              <input type="hidden" name="intent" value="edit" />
              <input type="hidden" name="baseVersion" value={profile.version} />
              {failed?.intent === "edit" && failed.formError ? <Notice tone="error">{failed.formError}</Notice> : null}
              <TextField label="Name" name="name" defaultValue={profile.name} error={errorsFor("edit").name} />
              <TextAreaField label="Description" name="description" rows={2} defaultValue={profile.description} />
              <CriteriaBuilder
                biomarkers={biomarkers}
                initial={
                  (failed?.intent === "edit" ? submittedCriteria(failed.values.criteria) : undefined) ?? (profile.criteria as CriteriaGroup)
                }
                errors={errorsFor("edit")}
              />
              <Button disabled={busy}>Save as version {profile.version + 1}</Button>
            </Form>
          </Card>
        ) : null}
      </div>

      <section aria-labelledby="versions-heading">
        <h3 id="versions-heading" className="text-lg font-semibold">
          Versions
        </h3>
        <ol className="mt-2 space-y-1 text-sm">
          {versions.map((v) => (
            <li key={v.version}>
              <span className="font-medium">Version {v.version}</span> · {v.name}: {v.text}{" "}
              <span className="text-xs text-slate-500">{new Date(v.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
