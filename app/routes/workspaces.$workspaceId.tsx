import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { PresenceAvatars } from "#app/components/presence-avatars.tsx";
import { SearchBox } from "#app/components/search/search-box.tsx";
import { WorkspaceNav } from "#app/components/workspace-nav.tsx";
import { useWorkspaceLive } from "#app/realtime/use-workspace-live.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";
import { useWorkspace, WorkspaceProvider } from "#app/realtime/workspace-context.tsx";
import { latestEventId } from "#app/services/audit.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { listMembers } from "#app/services/members.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.workspace.name} · Consilience` : "Workspace · Consilience" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspace = await loadOrThrowPage(async () => await getWorkspace(user, params.workspaceId!));
  // Members' names feed @mention autocomplete and presence on every page of the workspace.
  const members = (await listMembers(user, workspace.id)).map((m) => ({ userId: m.userId, name: m.name, role: m.role }));
  return { workspace, me: user, members, latestEventId: await latestEventId(workspace.id) };
}

/** Membership and settings events are patched into the shared context (`WorkspaceProvider`): never a reload for them. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export default function WorkspaceLayout() {
  return (
    <WorkspaceProvider data={useLoaderData<typeof loader>()}>
      <WorkspaceFrame />
    </WorkspaceProvider>
  );
}

function WorkspaceFrame() {
  const { workspace, latestEventId, me } = useWorkspace();
  const section = useLocation().pathname.split("/")[3] ?? "overview";
  const live = useWorkspaceLive(workspace.id, latestEventId, section, me.id);
  return (
    <div>
      <div className="border-b border-slate-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 pt-5">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <p className="text-xs uppercase tracking-wide text-slate-500">
                <Link to="/workspaces" className="hover:underline">
                  Workspaces
                </Link>{" "}
                · you are {workspace.role === "observer" ? "an observer" : `a ${workspace.role}`}
              </p>
              <h1 className="mt-1 text-2xl font-semibold">{workspace.name}</h1>
            </div>
            <div className="flex flex-wrap items-center gap-4">
              <SearchBox workspaceId={workspace.id} />
              <PresenceAvatars members={live.members} connected={live.connected} />
            </div>
          </div>
          <div className="mt-4">
            <WorkspaceNav workspaceId={workspace.id} />
          </div>
        </div>
      </div>
      {live.lost ? (
        <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900">
          Connection lost. Reconnecting… Changes made meanwhile will appear once you are back.
        </div>
      ) : null}
      {/* The workspace's one polite live region: others' changes are read out without moving focus. */}
      <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="live-announcements">
        {live.announcement}
      </div>
      <main className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
