import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { exportWorkspaceArchive } from "#app/services/workspace-export.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const { fileName, zip } = await exportWorkspaceArchive(caller.user, requireParam(params, "ws"));
    return new Response(new Uint8Array(zip), {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
