import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { resultJson } from "#app/public-shapes/results.ts";
import { getResult, updateResult } from "#app/services/results.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => resultJson(getResult(caller.user, requireParam(params, "ws"), requireParam(params, "resultId"))),
  PATCH: async ({ caller, params, request }) =>
    resultJson(updateResult(caller.user, requireParam(params, "ws"), requireParam(params, "resultId"), await readJsonBody(request))),
});
