import { apiRoute, noContent, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { memberJson } from "#app/public-shapes/workspaces.ts";
import { changeMemberRole, removeMember } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  PATCH: async ({ caller, params, request }) =>
    memberJson(
      await changeMemberRole(caller.user, requireParam(params, "ws"), requireParam(params, "userId"), await readJsonBody(request)),
    ),
  DELETE: async ({ caller, params }) => {
    await removeMember(caller.user, requireParam(params, "ws"), requireParam(params, "userId"));
    return noContent();
  },
});
