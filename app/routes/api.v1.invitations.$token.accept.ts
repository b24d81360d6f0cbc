import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { acceptedInvitationJson } from "#app/public-shapes/workspaces.ts";
import { acceptInvitation } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params }) => acceptedInvitationJson(await acceptInvitation(caller.user, requireParam(params, "token"))),
});
