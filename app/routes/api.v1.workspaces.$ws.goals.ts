import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { goalJson } from "#app/public-shapes/goals.ts";
import { createGoal, listGoals } from "#app/services/goals.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => ({
    items: (await listGoals(caller.user, requireParam(params, "ws"))).map(goalJson),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request }) =>
    created(goalJson(await createGoal(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
