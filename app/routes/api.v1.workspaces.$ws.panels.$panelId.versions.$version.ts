import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { panelVersionJson } from "#app/public-shapes/panels.ts";
import { getPanelVersion } from "#app/services/panels.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    panelVersionJson(
      await getPanelVersion(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"), requireParam(params, "version")),
    ),
});
