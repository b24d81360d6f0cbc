import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { milestoneJson } from "#app/public-shapes/goals.ts";
import { addMilestone } from "#app/services/goals.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) =>
    created(
      milestoneJson(
        await addMilestone(caller.user, requireParam(params, "ws"), requireParam(params, "goalId"), await readJsonBody(request)),
      ),
    ),
});
