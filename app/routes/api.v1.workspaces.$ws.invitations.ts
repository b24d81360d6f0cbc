import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { invitationUrl } from "#app/http/serializers.server.ts";
import { createInvitation, listPendingInvitations } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  /** Pending invitations (lead only); the tokens themselves are never shown again. */
  GET: ({ caller, params }) => ({
    items: listPendingInvitations(caller.user, requireParam(params, "ws")).map((i) => ({
      id: i.id,
      role: i.role,
      createdBy: i.createdBy,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    })),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request, context }) => {
    const invitation = createInvitation(caller.user, requireParam(params, "ws"), await readJsonBody(request));
    return created({
      id: invitation.id,
      token: invitation.token,
      url: invitationUrl(context.publicOrigin, invitation.token),
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
    });
  },
});
