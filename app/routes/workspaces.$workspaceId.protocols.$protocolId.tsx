/** A protocol's frame: its title, status and version, and the tabs of its pages. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "#app/components/protocols/status-badge.tsx";
import { roleAtLeast } from "#app/domain/roles.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { describeForkOrigin } from "#app/services/protocol-forks.server.ts";
import { getProtocol } from "#app/services/protocols.server.ts";
import { useLivePatched } from "#app/realtime/live-events.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";
import { patchProtocolHeader } from "#app/realtime/patches/protocol-header.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.protocol.title} · Protocols · Consilience` : "Protocol · Consilience" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const { current, draft, ...protocol } = await getProtocol(user, params.workspaceId!, params.protocolId!);
    return {
      protocol: { ...protocol, currentAuthor: current.author, currentAt: current.createdAt },
      draft: { sinceVersion: draft.sinceVersion, editedBy: draft.editedBy, editedAt: draft.editedAt },
      origin: protocol.forkedFrom ? await describeForkOrigin(user, protocol.forkedFrom) : null,
    };
  });
}

/**
 * The header (title, status, version, live draft) is patched from the protocol's
 * events, and the viewer's role comes from the workspace, which follows role
 * changes: no event makes this loader stale.
 */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export default function ProtocolLayout() {
  const { protocol, draft, origin } = useLivePatched(useLoaderData<typeof loader>(), patchProtocolHeader);
  const { role } = useWorkspace().workspace;
  const base = `/workspaces/${protocol.workspaceId}/protocols/${protocol.id}`;
  const canEdit = roleAtLeast(role, "contributor") && protocol.status !== "superseded";
  const tabs = [
    { to: base, label: "Current version", end: true },
    { to: `${base}/history`, label: "History" },
    { to: `${base}/compare`, label: "Compare versions" },
    // Everyone reads the live draft as it is written; contributors and leads type in it.
    { to: `${base}/edit`, label: canEdit ? "Write together" : "Live draft" },
    { to: `${base}/fork`, label: "Fork" },
  ];
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <p className="text-sm">
          <Link to={`/workspaces/${protocol.workspaceId}/protocols`} className="text-brand-700 hover:underline">
            ← All protocols
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-2xl font-semibold">{protocol.title}</h2>
          <StatusBadge status={protocol.status} />
        </div>
        <p className="text-sm text-slate-600">
          Version {protocol.version}
          {protocol.approvedVersion
            ? protocol.status === "approved"
              ? `, approved by ${protocol.approvedBy?.name ?? "a lead"}`
              : ` · version ${protocol.approvedVersion} was approved by ${protocol.approvedBy?.name ?? "a lead"}; the current version is not approved yet`
            : ""}
        </p>
        {draft.editedBy.length > 0 ? (
          <p className="text-sm text-slate-600" data-testid="live-draft-note">
            <Link to={`${base}/edit`} className="text-brand-700 underline">
              Live draft
            </Link>{" "}
            since version {draft.sinceVersion}, edited by {draft.editedBy.map((p) => p.name).join(", ")}
          </p>
        ) : null}
        {origin ? (
          <p className="text-sm text-slate-600" data-testid="fork-origin">
            Forked from{" "}
            {origin.visible && origin.title ? (
              <Link
                to={`/workspaces/${origin.workspaceId}/protocols/${origin.protocolId}/versions/${origin.version}`}
                className="text-brand-700 hover:underline"
              >
                “{origin.title}” version {origin.version} in {origin.workspaceName}
              </Link>
            ) : (
              `version ${origin.version} of a protocol in another workspace`
            )}
            .
          </p>
        ) : null}
      </header>
      <nav aria-label="Protocol" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {tabs.map((t) => (
          <NavLink
            key={t.label}
            to={t.to}
            end={t.end ?? false}
            prefetch="intent"
            className={({ isActive }) =>
              `whitespace-nowrap border-b-2 px-3 py-2 text-sm ${
                isActive ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"
              }`
            }
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </article>
  );
}
