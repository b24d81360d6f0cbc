import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { resultJson } from "#app/public-shapes/results.ts";
import { getResult, updateResult } from "#app/services/results.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => resultJson(await getResult(caller.user, requireParam(params, "ws"), requireParam(params, "resultId"))),
  PATCH: async ({ caller, params, request }) =>
    resultJson(await updateResult(caller.user, requireParam(params, "ws"), requireParam(params, "resultId"), await readJsonBody(request))),
});
