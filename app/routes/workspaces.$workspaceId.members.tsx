import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { InviteCard, MemberTable, PendingInvitations, WorkspaceSettings } from "#app/components/members.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { invitationUrl } from "#app/public-shapes/workspaces.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import {
  changeMemberRole,
  createInvitation,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
} from "#app/services/members.server.ts";
import { getWorkspace, updateWorkspace } from "#app/services/workspaces.server.ts";
import { useLivePatched } from "#app/realtime/live-events.ts";
import { family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";
import { patchMembersPage } from "#app/realtime/patches/members.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => {
    const workspace = await getWorkspace(user, workspaceId);
    return {
      workspace,
      me: user.id,
      members: await listMembers(user, workspaceId),
      invitations: workspace.role === "lead" ? await listPendingInvitations(user, workspaceId) : [],
    };
  });
}

/** Roles, removals, settings and used invitations patch the page; a join (the new row needs an email) and a new invitation reload it. */
export const shouldRevalidate = revalidateOnLiveEvents(family("member.joined", "invitation.created"));

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  return handleFormAction(
    async () => {
      switch (intent) {
        case "invite": {
          const invitation = await createInvitation(user, workspaceId, { role: form.role });
          return {
            ok: true as const,
            intent,
            invitation: {
              url: invitationUrl(context.publicOrigin, invitation.token),
              role: invitation.role,
              expiresAt: invitation.expiresAt.toISOString(),
            },
          };
        }
        case "change-role":
          await changeMemberRole(user, workspaceId, String(form.userId), { role: form.role });
          return { ok: true as const, intent };
        case "remove":
          await removeMember(user, workspaceId, String(form.userId));
          return { ok: true as const, intent };
        case "revoke-invitation":
          await revokeInvitation(user, workspaceId, String(form.invitationId));
          return { ok: true as const, intent };
        case "update-settings":
          await updateWorkspace(user, workspaceId, { name: form.name, description: form.description });
          return { ok: true as const, intent };
        default:
          throw validationFailed("Unknown action.");
      }
    },
    intent,
    form,
  );
}

export type MembersAction = typeof action;

export default function Members() {
  const { workspace, me, members, invitations } = useLivePatched(useLoaderData<typeof loader>(), patchMembersPage);
  const result = useActionData<typeof action>();
  const isLead = workspace.role === "lead";
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="space-y-6">
        <MemberTable members={members} me={me} isLead={isLead} result={result} />
        {isLead ? <PendingInvitations invitations={invitations} /> : null}
      </div>
      {isLead ? (
        <div className="space-y-6">
          <InviteCard result={result} />
          <WorkspaceSettings workspace={workspace} result={result} />
        </div>
      ) : null}
    </div>
  );
}
