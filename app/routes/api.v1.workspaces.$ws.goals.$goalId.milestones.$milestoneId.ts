import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { milestoneJson } from "#app/public-shapes/goals.ts";
import { updateMilestone } from "#app/services/goals.server.ts";

export const { loader, action } = apiRoute({
  PATCH: async ({ caller, params, request }) =>
    milestoneJson(
      await updateMilestone(
        caller.user,
        requireParam(params, "ws"),
        requireParam(params, "goalId"),
        requireParam(params, "milestoneId"),
        await readJsonBody(request),
      ),
    ),
});
