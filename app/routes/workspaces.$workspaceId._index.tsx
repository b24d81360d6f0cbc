import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EventList } from "#app/components/event-list.tsx";
import { Card, EmptyState } from "#app/components/ui/notice.tsx";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { listRecentEvents } from "#app/services/audit.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { listMembers } from "#app/services/members.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { either, family, researchData, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => ({
    workspace: await getWorkspace(user, workspaceId),
    members: await listMembers(user, workspaceId),
    recent: (await listRecentEvents(user, workspaceId, { limit: 8 })).items,
  }));
}

/** The overview lists recent activity and members; its own view of them reloads. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(family("member.", "workspace.", "invitation."), researchData, family("goal.")),
);

export default function WorkspaceOverview() {
  const { workspace, members, recent } = useLoaderData<typeof loader>();
  const byRole = (role: string) => members.filter((m) => m.role === role).length;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-6">
        <Card>
          <h2 className="text-lg font-semibold">About</h2>
          <p className="mt-2 whitespace-pre-line text-slate-700">
            {workspace.description || "No description yet. A lead can add one under Members → Workspace settings."}
          </p>
        </Card>
        <section aria-labelledby="recent-activity">
          <div className="flex items-baseline justify-between">
            <h2 id="recent-activity" className="text-lg font-semibold">
              Recent activity
            </h2>
            <Link to="activity" className="text-sm text-brand-700 underline">
              Whole audit trail
            </Link>
          </div>
          <div className="mt-3">
            {recent.length ? (
              <EventList events={recent} />
            ) : (
              <EmptyState title="Nothing has happened yet">Changes appear here as they happen.</EmptyState>
            )}
          </div>
        </section>
      </div>
      <Card className="h-fit">
        <h2 className="text-lg font-semibold">Members</h2>
        <p className="mt-2 text-sm text-slate-600">
          {members.length} {members.length === 1 ? "member" : "members"}: {byRole("lead")} lead, {byRole("contributor")} contributor,{" "}
          {byRole("observer")} observer
        </p>
        <Link to="members" className="mt-3 inline-block text-sm text-brand-700 underline">
          {workspace.role === "lead" ? "Manage members and invitations" : "See who is here"}
        </Link>
      </Card>
    </div>
  );
}
