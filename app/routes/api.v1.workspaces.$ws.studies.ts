import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { studyJson, studySummaryJson } from "#app/http/serializers.server.ts";
import { createStudy, listStudies } from "#app/services/studies.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params }) => ({
    items: listStudies(caller.user, requireParam(params, "ws")).map(studySummaryJson),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request }) =>
    created(studyJson(createStudy(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
