import { apiRoute, created, readJsonBody } from "#app/http/api.server.ts";
import { workspaceJson } from "#app/public-shapes/workspaces.ts";
import { createWorkspace, listWorkspaces } from "#app/services/workspaces.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller }) => ({ items: listWorkspaces(caller.user).map(workspaceJson), nextCursor: null }),
  POST: async ({ caller, request }) => created(workspaceJson(createWorkspace(caller.user, await readJsonBody(request)))),
});
