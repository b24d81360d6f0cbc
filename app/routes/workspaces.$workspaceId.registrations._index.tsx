import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { EffectModifierChoice } from "#app/components/registrations/effect-modifier-choice.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { EFFECT_MEASURES } from "#app/domain/effect-sizes.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createRegistration, listRegistrations, registrationChoices } from "#app/services/registrations.server.ts";
import type { loader as workspaceLoader } from "./workspaces.$workspaceId.tsx";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => ({
    registrations: (await listRegistrations(user, params.workspaceId!)).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    choices: await registrationChoices(user, params.workspaceId!),
    me: user.id,
  }));
}

/** The list, and the form's profiles and protocol versions. */
export const shouldRevalidate = revalidateOnLiveEvents(family("registration.", "profile.", "protocol."));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  // The select names a protocol version as "<protocol id>@<version>".
  const [protocolId, protocolVersion] = (text("protocol") ?? "").split("@");
  return handleFormAction(
    async () => {
      const registration = await createRegistration(user, params.workspaceId!, {
        title: text("title"),
        protocolId: protocolId || undefined,
        protocolVersion: protocolVersion || undefined,
        profiles: all("profiles"),
        outcome: text("outcome"),
        measure: text("measure"),
        method: text("method"),
        knha: form.get("knha") === "on",
        plan: text("plan"),
        authors: all("authors"),
        effectModifiers: all("effectModifiers"),
      });
      throw redirect(`/workspaces/${params.workspaceId}/registrations/${registration.id}`);
    },
    "register",
    // Every ticked effect modifier, so the boxes stay ticked when the form comes back.
    { ...Object.fromEntries(form), effectModifiers: all("effectModifiers").join(",") },
  );
}

/** Fields the form shows beside their control; any other field's error is listed above the form. */
const SHOWN_BESIDE = ["title", "protocolId", "protocolVersion", "profiles", "outcome", "measure", "method", "plan"];

export default function Registrations() {
  const { registrations, choices, me } = useLoaderData<typeof loader>();
  const parent = useRouteLoaderData<typeof workspaceLoader>("routes/workspaces.$workspaceId");
  const isLead = parent?.workspace.role === "lead";
  const members = parent?.members ?? [];
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_26rem]">
      <section aria-labelledby="registrations-heading">
        <h2 id="registrations-heading" className="text-xl font-semibold">
          Pre-registrations
        </h2>
        <p className="text-sm text-slate-600">
          A protocol version, the patient profiles, the effect modifiers and the analysis options, frozen with a SHA-256 before results are
          in. The comparison then marks each profile “pre-registered”, “changed since registration” or “added after”, and the “who benefits”
          analysis marks its biomarker “pre-specified” or “exploratory”, as journals ask.
        </p>
        {registrations.length === 0 ? (
          <div className="mt-4">
            <EmptyState title="No registrations yet">
              {isLead
                ? "Pre-register the analysis with the form here, before the data arrive."
                : "The workspace’s leads pre-register analyses."}
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-4 space-y-3" data-testid="registration-list">
            {registrations.map((r) => (
              <li key={r.id}>
                <Link to={r.id} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-300">
                  <span className="font-medium">
                    {r.number}. {r.title}
                  </span>
                  <span className="mt-1 block text-xs text-slate-600">
                    {r.protocol.title} v{r.protocol.version} · {r.outcome} · {r.profiles.map((p) => p.name).join(", ")} · registered by{" "}
                    {r.createdBy.name} on {r.createdAt.slice(0, 10)} · SHA-256 <code className="break-all">{r.hash.slice(0, 16)}…</code>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {isLead ? (
        <Card className="h-fit">
          <h3 className="text-lg font-semibold">Pre-register</h3>
          <p className="mt-1 text-sm text-slate-600">
            Each profile is frozen at its current version and criteria. A registration never changes.
          </p>
          <Form method="post" className="mt-4 space-y-3" noValidate aria-label="Pre-register an analysis">
            {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            {Object.entries(errors)
              .filter(([field]) => !SHOWN_BESIDE.includes(field) && !field.startsWith("effectModifiers"))
              .map(([field, message]) => (
                <Notice key={field} tone="error">
                  {field.startsWith("profiles") ? "Profiles" : field}: {message}
                </Notice>
              ))}
            <TextField label="Title" name="title" required defaultValue={values.title} error={errors.title} />
            <SelectField
              label="Protocol version"
              name="protocol"
              defaultValue={values.protocol ?? ""}
              options={[
                { value: "", label: "Choose a protocol version…" },
                ...choices.protocolVersions.map((p) => ({ value: `${p.id}@${p.version}`, label: `${p.title}, version ${p.version}` })),
              ]}
              error={errors.protocolId ?? errors.protocolVersion}
            />
            <fieldset className="rounded-md border border-slate-200 p-3" aria-describedby={errors.profiles ? "profiles-error" : undefined}>
              <legend className="px-1 text-sm font-medium text-slate-700">Patient profiles to register</legend>
              {choices.profiles.length === 0 ? <p className="text-sm text-slate-600">No profiles yet: define them first.</p> : null}
              {choices.profiles.map((p) => (
                <label key={p.id} className="flex items-start gap-2 py-1 text-sm">
                  <input type="checkbox" className="mt-0.5 size-5 shrink-0" name="profiles" value={p.id} />
                  <span>
                    {p.name}{" "}
                    <span className="text-slate-500">
                      (version {p.version}: {p.text})
                    </span>
                  </span>
                </label>
              ))}
              {errors.profiles ? (
                <p id="profiles-error" className="mt-1 text-sm text-red-700">
                  {errors.profiles}
                </p>
              ) : null}
            </fieldset>
            <TextField
              label="Outcome"
              name="outcome"
              list="registration-outcomes"
              required
              defaultValue={values.outcome ?? choices.outcomes[0]?.name}
              error={errors.outcome}
            />
            <datalist id="registration-outcomes">
              {choices.outcomes.map((o) => (
                <option key={o.name} value={o.name} />
              ))}
            </datalist>
            <div className="grid grid-cols-2 gap-3">
              <SelectField
                label="Effect measure"
                name="measure"
                defaultValue={values.measure ?? "SMD"}
                options={EFFECT_MEASURES.map((m) => ({ value: m, label: m }))}
                error={errors.measure}
              />
              <SelectField
                label="Pooling method"
                name="method"
                defaultValue={values.method ?? "REML"}
                options={POOLING_METHODS.map((m) => ({ value: m, label: m }))}
                error={errors.method}
              />
            </div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="size-5" name="knha" defaultChecked={values.knha === "on"} />
              Knapp–Hartung adjustment
            </label>
            <EffectModifierChoice biomarkers={choices.biomarkers} checked={(values.effectModifiers ?? "").split(",")} errors={errors} />
            <TextAreaField label="Analysis plan (optional)" name="plan" rows={4} defaultValue={values.plan} error={errors.plan} />
            <fieldset className="rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium text-slate-700">Authors</legend>
              {members.map((m) => (
                <label key={m.userId} className="flex items-center gap-2 py-1 text-sm">
                  <input type="checkbox" className="size-5" name="authors" value={m.userId} defaultChecked={m.userId === me} />
                  {m.name}
                </label>
              ))}
            </fieldset>
            <Button disabled={busy}>{busy ? "Registering…" : "Pre-register"}</Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
