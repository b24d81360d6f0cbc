import { apiRoute, download, requestPath, requireParam } from "#app/http/api.server.ts";
import { searchParamsObject } from "#app/http/search-params.ts";
import { effectModificationScript } from "#app/services/effect-modification-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request, context }) => {
    const { fileName, script } = await effectModificationScript(
      caller.user,
      requireParam(params, "ws"),
      searchParamsObject(request.url),
      requestPath(request),
      context.publicOrigin,
    );
    return download(script, "text/x-r", fileName);
  },
});
