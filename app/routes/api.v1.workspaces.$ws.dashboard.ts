import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { dashboardJson, getDashboard } from "#app/services/dashboard.server.ts";
import { goalJson } from "#app/services/goal-views.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => dashboardJson(getDashboard(caller.user, requireParam(params, "ws")), goalJson),
});
