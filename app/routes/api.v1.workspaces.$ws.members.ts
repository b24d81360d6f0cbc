import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { memberJson } from "#app/public-shapes/workspaces.ts";
import { listMembers } from "#app/services/members.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => ({
    items: (await listMembers(caller.user, requireParam(params, "ws"))).map(memberJson),
    nextCursor: null,
  }),
});
