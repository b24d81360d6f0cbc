import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { studyJson } from "#app/public-shapes/studies.ts";
import { latestDatasetsOfStudy } from "#app/services/dataset-views.server.ts";
import { getStudy, updateStudy } from "#app/services/studies.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const study = await getStudy(caller.user, requireParam(params, "ws"), requireParam(params, "studyId"));
    return studyJson(study, await latestDatasetsOfStudy(study.id));
  },
  PATCH: async ({ caller, params, request }) => {
    const study = await updateStudy(caller.user, requireParam(params, "ws"), requireParam(params, "studyId"), await readJsonBody(request));
    return studyJson(study, await latestDatasetsOfStudy(study.id));
  },
});
