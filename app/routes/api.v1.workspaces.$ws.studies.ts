import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { studyJson, studySummaryJson } from "#app/public-shapes/studies.ts";
import { createStudy, listStudies } from "#app/services/studies.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) => {
    const page = await listStudies(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams));
    return { items: page.items.map(studySummaryJson), nextCursor: page.nextCursor };
  },
  // A new study has no datasets yet, but its shape is the study's all the same (docs/api.md).
  POST: async ({ caller, params, request }) =>
    created(studyJson(await createStudy(caller.user, requireParam(params, "ws"), await readJsonBody(request)), [])),
});
