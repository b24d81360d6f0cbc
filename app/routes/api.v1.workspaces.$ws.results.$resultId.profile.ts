import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { getResult } from "#app/services/results.server.ts";
import { listResultMappings, mapResultToProfile, mappingJson } from "#app/services/profiles.server.ts";

const noMapping = (resultId: string) => ({ resultId, profileId: null });

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => {
    const ws = requireParam(params, "ws");
    const result = getResult(caller.user, ws, requireParam(params, "resultId"));
    const [mapping] = listResultMappings(caller.user, ws, [result.id]);
    return mapping ? mappingJson(mapping) : noMapping(result.id);
  },
  PUT: async ({ caller, params, request }) => {
    const resultId = requireParam(params, "resultId");
    const mapping = mapResultToProfile(caller.user, requireParam(params, "ws"), resultId, await readJsonBody(request));
    return mapping ? mappingJson(mapping) : noMapping(resultId);
  },
});
