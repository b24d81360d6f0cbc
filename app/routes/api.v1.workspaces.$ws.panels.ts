import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { panelJson, panelSummaryJson } from "#app/public-shapes/panels.ts";
import { createPanel, listPanels } from "#app/services/panels.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => ({
    items: (await listPanels(caller.user, requireParam(params, "ws"))).map(panelSummaryJson),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request }) =>
    created(panelJson(await createPanel(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
