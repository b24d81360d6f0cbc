import { apiRoute, noContent, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { biomarkerChangeJson } from "#app/public-shapes/panels.ts";
import { removeBiomarker, updateBiomarker } from "#app/services/panel-biomarkers.server.ts";

export const { loader, action } = apiRoute({
  PATCH: async ({ caller, params, request }) =>
    biomarkerChangeJson(
      await updateBiomarker(
        caller.user,
        requireParam(params, "ws"),
        requireParam(params, "panelId"),
        requireParam(params, "biomarkerId"),
        await readJsonBody(request),
      ),
    ),
  DELETE: async ({ caller, params, request }) => {
    // A DELETE body is unusual for some clients, so the base version may come as ?baseVersion= instead.
    const fromQuery = new URL(request.url).searchParams.get("baseVersion");
    const body = (await readJsonBody(request)) as Record<string, unknown>;
    const input = fromQuery !== null ? { ...body, baseVersion: fromQuery } : body;
    await removeBiomarker(
      caller.user,
      requireParam(params, "ws"),
      requireParam(params, "panelId"),
      requireParam(params, "biomarkerId"),
      input,
    );
    return noContent();
  },
});
