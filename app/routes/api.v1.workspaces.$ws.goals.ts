import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { goalJson } from "#app/public-shapes/goals.ts";
import { createGoal, listGoals } from "#app/services/goals.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => ({ items: listGoals(caller.user, requireParam(params, "ws")).map(goalJson), nextCursor: null }),
  POST: async ({ caller, params, request }) =>
    created(goalJson(createGoal(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
