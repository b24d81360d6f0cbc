import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { createPanel } from "#app/services/panels.server.ts";

/** Create a biomarker panel (optionally from the default panel). */
export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) => {
    const panel = createPanel(caller.user, requireParam(params, "ws"), await readJsonBody(request));
    return created({
      id: panel.id,
      name: panel.name,
      description: panel.description,
      version: panel.version,
      biomarkers: panel.biomarkers.map((b) => ({ code: b.code, label: b.label, unit: b.unit })),
      createdAt: panel.createdAt.toISOString(),
    });
  },
});
