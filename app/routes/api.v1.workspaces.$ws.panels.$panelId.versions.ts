import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { panelVersionEntryJson } from "#app/public-shapes/panels.ts";
import { listPanelVersions } from "#app/services/panels.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) => {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const page = await listPanelVersions(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"), query);
    return { items: page.items.map(panelVersionEntryJson), nextCursor: page.nextCursor };
  },
});
