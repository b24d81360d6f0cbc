import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { panelJson } from "#app/public-shapes/panels.ts";
import { getPanel, updatePanel } from "#app/services/panels.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => panelJson(await getPanel(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"))),
  PATCH: async ({ caller, params, request }) =>
    panelJson(await updatePanel(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"), await readJsonBody(request))),
});
