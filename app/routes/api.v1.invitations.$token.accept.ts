import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { acceptedInvitationJson } from "#app/public-shapes/workspaces.ts";
import { acceptInvitation } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  POST: ({ caller, params }) => acceptedInvitationJson(acceptInvitation(caller.user, requireParam(params, "token"))),
});
