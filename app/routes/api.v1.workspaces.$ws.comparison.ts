import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { comparisonJson } from "#app/public-shapes/comparison.ts";
import { getComparison } from "#app/services/comparison.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request, context }) => {
    const workspaceId = requireParam(params, "ws");
    return comparisonJson(await getComparison(caller.user, workspaceId, searchParamsObject(request.url)), {
      workspaceId,
      origin: context.publicOrigin,
    });
  },
});
