import { apiRoute, noContent, requireParam } from "#app/http/api.server.ts";
import { revokeInvitation } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  DELETE: async ({ caller, params }) => {
    await revokeInvitation(caller.user, requireParam(params, "ws"), requireParam(params, "invitationId"));
    return noContent();
  },
});
