import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { workspaceJson } from "#app/public-shapes/workspaces.ts";
import { getWorkspace, updateWorkspace } from "#app/services/workspaces.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => workspaceJson(await getWorkspace(caller.user, requireParam(params, "ws"))),
  PATCH: async ({ caller, params, request }) =>
    workspaceJson(await updateWorkspace(caller.user, requireParam(params, "ws"), await readJsonBody(request))),
});
