import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { exportGoalsCsv } from "#app/services/goal-exports.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const workspaceId = requireParam(params, "ws");
    return new Response(await exportGoalsCsv(caller.user, workspaceId), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="goals-${workspaceId}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
