import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { exportGoalsIcs } from "#app/services/goal-exports.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, context }) => {
    const workspaceId = requireParam(params, "ws");
    return new Response(await exportGoalsIcs(caller.user, workspaceId, new URL(context.publicOrigin).hostname), {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": `attachment; filename="goals-${workspaceId}.ics"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
