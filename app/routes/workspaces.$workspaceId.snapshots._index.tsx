import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { LICENCE_IDS, LICENCES } from "#app/domain/snapshots.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createSnapshot, listSnapshots } from "#app/services/snapshots.server.ts";
import type { loader as workspaceLoader } from "./workspaces.$workspaceId.tsx";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

/** The comparison's options a freeze carries over from the link that opened this page. */
const CARRIED = [
  "scope",
  "outcome",
  "measure",
  "method",
  "knha",
  "prefer",
  "exclude",
  "row",
  "profile",
  "intervention",
  "biomarker",
  "scale",
  "per",
] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const query = searchParamsObject(request.url);
  const carried = Object.fromEntries(
    CARRIED.flatMap((k) => {
      const v = query[k];
      const text = Array.isArray(v) ? v.join(",") : v;
      return text ? [[k, text]] : [];
    }),
  ) as Partial<Record<(typeof CARRIED)[number], string>>;
  return await loadOrThrowPage(async () => ({
    snapshots: (await listSnapshots(user, params.workspaceId!)).map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    carried,
    me: user.id,
  }));
}

/** The list of snapshots. */
export const shouldRevalidate = revalidateOnLiveEvents(family("snapshot."));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  const fields = Object.fromEntries(
    [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "" && e[0] !== "authors"),
  );
  return handleFormAction(
    async () => {
      const snapshot = await createSnapshot(user, params.workspaceId!, {
        ...fields,
        scope: fields.scope ?? (fields.row ? "cell" : "comparison"),
        authors: form.getAll("authors").filter((v): v is string => typeof v === "string"),
      });
      throw redirect(`/workspaces/${params.workspaceId}/snapshots/${snapshot.id}`);
    },
    "freeze",
    Object.fromEntries(form),
  );
}

export default function Snapshots() {
  const { snapshots, carried, me } = useLoaderData<typeof loader>();
  const parent = useRouteLoaderData<typeof workspaceLoader>("routes/workspaces.$workspaceId");
  const isLead = parent?.workspace.role === "lead";
  const members = parent?.members ?? [];
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const what =
    carried.scope === "effect-modification"
      ? `the effect-modification analysis of ${carried.intervention ?? "the first intervention"} by ${carried.biomarker ?? "hs-CRP"}`
      : carried.row
        ? `the row “${carried.row.replace(/^(intervention|class):/, "")}”${carried.profile ? " in one profile" : " across every profile"}`
        : "the whole comparison";
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
      <section aria-labelledby="snapshots-heading">
        <h2 id="snapshots-heading" className="text-xl font-semibold">
          Snapshots
        </h2>
        <p className="text-sm text-slate-600">
          An analysis frozen for publication: the exact dataset versions, results, profiles, methods and numbers, with a SHA-256 that cites
          them. A snapshot never changes, whatever the live data become; each page says what moved since.
        </p>
        {snapshots.length === 0 ? (
          <div className="mt-4">
            <EmptyState
              title="No snapshots yet"
              action={
                <Link to="../comparison" relative="path" className="text-brand-700 underline">
                  Open the comparison
                </Link>
              }
            >
              {isLead
                ? "Freeze the comparison from its page (“Freeze as snapshot”), or with the form here."
                : "The workspace’s leads freeze snapshots."}
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-4 space-y-3" data-testid="snapshot-list">
            {snapshots.map((s) => (
              <li key={s.id}>
                <Link to={s.id} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-300">
                  <span className="font-medium">
                    {s.number}. {s.title}
                  </span>
                  {s.withdrawn ? <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900">Withdrawn</span> : null}
                  <span className="mt-1 block text-xs text-slate-600">
                    {s.scope === "cell"
                      ? "One row or cell"
                      : s.scope === "effect-modification"
                        ? "Effect modification"
                        : "Whole comparison"}{" "}
                    · frozen by {s.createdBy.name} on {s.createdAt.slice(0, 10)} · SHA-256{" "}
                    <code className="break-all">{s.hash.slice(0, 16)}…</code>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {isLead ? (
        <Card className="h-fit">
          <h3 className="text-lg font-semibold">Freeze a snapshot</h3>
          <p className="mt-1 text-sm text-slate-600">
            Freezes {what}
            {carried.outcome ? ` for “${carried.outcome}”` : ""}, with the options of the comparison link that opened this page.
          </p>
          <Form method="post" className="mt-4 space-y-3" noValidate>
            {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            {Object.entries(result?.fieldErrors ?? {})
              .filter(([field]) => !["title", "licence"].includes(field))
              .map(([field, message]) => (
                <Notice key={field} tone="error">
                  {field}: {message}
                </Notice>
              ))}
            {Object.entries(carried).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <TextField label="Title" name="title" required defaultValue={result?.values?.title} error={result?.fieldErrors.title} />
            <SelectField
              label="Licence"
              name="licence"
              defaultValue={result?.values?.licence ?? "CC-BY-4.0"}
              options={LICENCE_IDS.map((id) => ({ value: id, label: `${id}: ${LICENCES[id].name}` }))}
              error={result?.fieldErrors.licence}
            />
            <fieldset className="rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium text-slate-700">Authors (with the ORCID iD each gave in their settings)</legend>
              {members.map((m) => (
                <label key={m.userId} className="flex items-center gap-2 py-1 text-sm">
                  <input type="checkbox" className="size-5" name="authors" value={m.userId} defaultChecked={m.userId === me} />
                  {m.name}
                </label>
              ))}
            </fieldset>
            <Button disabled={busy}>{busy ? "Freezing…" : "Freeze snapshot"}</Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
