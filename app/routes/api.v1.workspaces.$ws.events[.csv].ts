import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { exportAuditCsv } from "#app/services/audit.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const workspaceId = requireParam(params, "ws");
    const csv = await exportAuditCsv(caller.user, workspaceId);
    const date = new Date().toISOString().slice(0, 10);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-trail-${workspaceId}-${date}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
