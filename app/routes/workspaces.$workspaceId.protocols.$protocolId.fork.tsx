/** Forking the protocol into another workspace where the user is a contributor or lead. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { formFailure } from "#app/domain/form-failure.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { forkProtocol, listForkTargets } from "#app/services/protocol-forks.server.ts";
import { getProtocol } from "#app/services/protocols.server.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const { workspaceId, protocolId } = params as { workspaceId: string; protocolId: string };
  return await loadOrThrowPage(async () => {
    const protocol = await getProtocol(user, workspaceId, protocolId);
    return { title: protocol.title, version: protocol.version, targets: await listForkTargets(user, workspaceId) };
  });
}

/** The fork form needs nothing live. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      const fork = await forkProtocol(user, params.workspaceId!, params.protocolId!, {
        workspaceId: form.workspaceId,
        version: form.version,
      });
      return redirect(`/workspaces/${fork.workspaceId}/protocols/${fork.id}`);
    },
    "fork",
    form,
  );
}

export default function ForkProtocol() {
  const { title, version, targets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = formFailure(result);
  const busy = useNavigation().state === "submitting";
  return (
    <Card className="max-w-2xl">
      <h3 className="text-lg font-semibold">Fork into another workspace</h3>
      <p className="mt-1 text-sm text-slate-600">
        The fork starts as a draft with the text of the version you choose, and remembers that it came from “{title}”. People in that
        workspace do not get access to this one.
      </p>
      {targets.length === 0 ? (
        <div className="mt-4">
          <EmptyState title="No other workspace to fork into">
            You can fork into a workspace where you are a contributor or a lead. Create one from the workspace list, or ask a lead of
            another workspace to invite you.
          </EmptyState>
        </div>
      ) : (
        <Form method="post" className="mt-4 space-y-3">
          {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
          <SelectField
            label="Workspace"
            name="workspaceId"
            options={targets.map((t) => ({ value: t.id, label: `${t.name} (you are ${t.role === "lead" ? "a lead" : "a contributor"})` }))}
            defaultValue={failure?.values.workspaceId}
            error={failure?.fieldErrors.workspaceId}
          />
          <SelectField
            label="Version to fork"
            name="version"
            defaultValue={failure?.values.version ?? String(version)}
            options={Array.from({ length: version }, (_, i) => version - i).map((v) => ({
              value: String(v),
              label: v === version ? `Version ${v} (current)` : `Version ${v}`,
            }))}
            error={failure?.fieldErrors.version}
          />
          <Button disabled={busy}>{busy ? "Forking…" : "Fork protocol"}</Button>
        </Form>
      )}
    </Card>
  );
}
