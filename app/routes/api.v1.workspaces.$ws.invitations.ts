import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { createdInvitationJson, invitationJson } from "#app/public-shapes/workspaces.ts";
import { createInvitation, listPendingInvitations } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  /** Pending invitations (lead only); the tokens themselves are never shown again. */
  GET: async ({ caller, params }) => ({
    items: (await listPendingInvitations(caller.user, requireParam(params, "ws"))).map(invitationJson),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request, context }) =>
    created(
      createdInvitationJson(
        await createInvitation(caller.user, requireParam(params, "ws"), await readJsonBody(request)),
        context.publicOrigin,
      ),
    ),
});
