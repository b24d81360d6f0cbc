import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createWorkspace, listWorkspaces } from "#app/services/workspaces.server.ts";

export const meta: MetaFunction = () => [{ title: "Workspaces · Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return { workspaces: await listWorkspaces(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      const workspace = await createWorkspace(user, form);
      throw redirect(`/workspaces/${workspace.id}`);
    },
    undefined,
    form,
  );
}

export default function Workspaces() {
  const { workspaces } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="mx-auto grid max-w-6xl gap-8 px-4 py-8 lg:grid-cols-[1fr_22rem]">
      <section aria-labelledby="your-workspaces">
        <h1 id="your-workspaces" className="text-2xl font-semibold">
          Your workspaces
        </h1>
        {workspaces.length === 0 ? (
          <div className="mt-6">
            <EmptyState title="You are not in any workspace yet">
              Create one for your consortium, or open an invitation link a lead sent you.
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-6 space-y-3">
            {workspaces.map((w) => (
              <li key={w.id}>
                <Link
                  to={`/workspaces/${w.id}`}
                  className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500"
                >
                  <span className="flex items-baseline justify-between gap-3">
                    <span className="font-medium">{w.name}</span>
                    <span className="text-xs uppercase tracking-wide text-slate-500">{w.role}</span>
                  </span>
                  {w.description ? <span className="mt-1 block text-sm text-slate-600">{w.description}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Card className="h-fit">
        <h2 className="text-lg font-semibold">New workspace</h2>
        <Form method="post" className="mt-4 space-y-4" noValidate>
          {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
          <TextField
            label="Name"
            name="name"
            defaultValue={result?.values?.name}
            required
            maxLength={120}
            error={result?.fieldErrors.name}
          />
          <TextAreaField
            label="Description"
            name="description"
            defaultValue={result?.values?.description}
            rows={3}
            hint="What the consortium studies, in a sentence or two."
            error={result?.fieldErrors.description}
          />
          <Button disabled={busy}>{busy ? "Creating…" : "Create workspace"}</Button>
        </Form>
      </Card>
    </main>
  );
}
