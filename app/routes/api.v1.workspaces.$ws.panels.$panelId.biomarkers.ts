import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { biomarkerChangeJson } from "#app/public-shapes/panels.ts";
import { addBiomarker } from "#app/services/panel-biomarkers.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) =>
    created(
      biomarkerChangeJson(
        await addBiomarker(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"), await readJsonBody(request)),
      ),
    ),
});
