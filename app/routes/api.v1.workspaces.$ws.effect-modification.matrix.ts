import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { effectModificationMatrixJson } from "#app/public-shapes/effect-modification.ts";
import { getEffectModificationMatrix } from "#app/services/effect-modification-view.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request, context }) => {
    const workspaceId = requireParam(params, "ws");
    return effectModificationMatrixJson(await getEffectModificationMatrix(caller.user, workspaceId, searchParamsObject(request.url)), {
      workspaceId,
      origin: context.publicOrigin,
    });
  },
});
