import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { acceptInvitation } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  POST: ({ caller, params }) => acceptInvitation(caller.user, requireParam(params, "token")),
});
