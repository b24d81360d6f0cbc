import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { dashboardJson } from "#app/public-shapes/goals.ts";
import { getDashboard } from "#app/services/dashboard.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => dashboardJson(await getDashboard(caller.user, requireParam(params, "ws"))),
});
