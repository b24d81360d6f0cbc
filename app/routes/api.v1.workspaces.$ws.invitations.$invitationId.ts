import { apiRoute, noContent, requireParam } from "#app/http/api.server.ts";
import { revokeInvitation } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  DELETE: ({ caller, params }) => {
    revokeInvitation(caller.user, requireParam(params, "ws"), requireParam(params, "invitationId"));
    return noContent();
  },
});
