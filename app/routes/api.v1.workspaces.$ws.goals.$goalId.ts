import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { goalJson } from "#app/public-shapes/goals.ts";
import { getGoal, updateGoal } from "#app/services/goals.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => goalJson(await getGoal(caller.user, requireParam(params, "ws"), requireParam(params, "goalId"))),
  PATCH: async ({ caller, params, request }) =>
    goalJson(await updateGoal(caller.user, requireParam(params, "ws"), requireParam(params, "goalId"), await readJsonBody(request))),
});
