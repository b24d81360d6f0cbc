import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { studyJson } from "#app/http/serializers.server.ts";
import { getStudy, updateStudy } from "#app/services/studies.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => ({
    ...studyJson(getStudy(caller.user, requireParam(params, "ws"), requireParam(params, "studyId"))),
    datasets: [],
  }),
  PATCH: async ({ caller, params, request }) => ({
    ...studyJson(updateStudy(caller.user, requireParam(params, "ws"), requireParam(params, "studyId"), await readJsonBody(request))),
    datasets: [],
  }),
});
