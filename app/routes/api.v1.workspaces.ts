import { apiRoute, created, readJsonBody } from "#app/http/api.server.ts";
import { workspaceJson } from "#app/public-shapes/workspaces.ts";
import { createWorkspace, listWorkspaces } from "#app/services/workspaces.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller }) => ({ items: (await listWorkspaces(caller.user)).map(workspaceJson), nextCursor: null }),
  POST: async ({ caller, request }) => created(workspaceJson(await createWorkspace(caller.user, await readJsonBody(request)))),
});
