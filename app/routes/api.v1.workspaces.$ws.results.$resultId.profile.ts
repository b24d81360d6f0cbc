import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { mappingJson } from "#app/public-shapes/profiles.ts";
import { getResult } from "#app/services/results.server.ts";
import { listResultMappings, mapResultToProfile } from "#app/services/profiles.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const ws = requireParam(params, "ws");
    const result = await getResult(caller.user, ws, requireParam(params, "resultId"));
    const [mapping] = await listResultMappings(caller.user, ws, [result.id]);
    return mappingJson(result.id, mapping ?? null);
  },
  PUT: async ({ caller, params, request }) => {
    const resultId = requireParam(params, "resultId");
    return mappingJson(resultId, await mapResultToProfile(caller.user, requireParam(params, "ws"), resultId, await readJsonBody(request)));
  },
});
