import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CreateProtocolForm } from "#app/components/protocols/create-protocol-form.tsx";
import { StatusBadge } from "#app/components/protocols/status-badge.tsx";
import { Card, EmptyState } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { formFailure } from "#app/domain/form-failure.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createProtocol, listProtocols } from "#app/services/protocols.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { either, family, revalidateOnLiveEvents, roleChanges } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => ({
    role: (await getWorkspace(user, params.workspaceId!)).role,
    protocols: (await listProtocols(user, params.workspaceId!, { limit: 500 })).items,
  }));
}

/** The list of protocols. */
export const shouldRevalidate = revalidateOnLiveEvents(either(family("protocol."), roleChanges));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      const protocol = await createProtocol(user, params.workspaceId!, { title: form.title, body: form.body, note: form.note });
      return redirect(`/workspaces/${params.workspaceId}/protocols/${protocol.id}`);
    },
    "create",
    form,
  );
}

export default function ProtocolList() {
  const { role, protocols } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = formFailure(result);
  const canCreate = roleAtLeast(role, "contributor");

  if (protocols.length === 0) {
    return (
      <section aria-labelledby="protocols-heading">
        <h2 id="protocols-heading" className="text-xl font-semibold">
          Protocols
        </h2>
        <div className="mt-4">
          <EmptyState title="No protocols shared yet">
            Protocols are the consortium’s versioned methods documents: every save is kept, any two versions can be compared, and comments
            can point at a single section. {canCreate ? "Start the first one here." : "Contributors and leads will add them here."}
          </EmptyState>
        </div>
        {canCreate ? (
          <Card className="mx-auto mt-6 max-w-2xl">
            <h3 className="text-lg font-semibold">New protocol</h3>
            <div className="mt-3">
              <CreateProtocolForm failure={failure} />
            </div>
          </Card>
        ) : null}
      </section>
    );
  }

  return (
    <section aria-labelledby="protocols-heading" className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div>
        <h2 id="protocols-heading" className="text-xl font-semibold">
          Protocols
        </h2>
        <ul className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {protocols.map((p) => (
            <li key={p.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
              <div className="min-w-0">
                <Link to={p.id} className="font-medium text-brand-700 hover:underline">
                  {p.title}
                </Link>
                <p className="text-xs text-slate-500">
                  Version {p.version}
                  {p.approvedVersion && p.status !== "approved" ? ` · version ${p.approvedVersion} was approved` : ""}
                  {p.forkedFrom ? " · forked from another workspace" : ""} · updated {formatUtc(p.updatedAt)}
                </p>
              </div>
              <StatusBadge status={p.status} />
            </li>
          ))}
        </ul>
      </div>
      {canCreate ? (
        <Card>
          <h3 className="text-lg font-semibold">New protocol</h3>
          <div className="mt-3">
            <CreateProtocolForm failure={failure} />
          </div>
        </Card>
      ) : null}
    </section>
  );
}
