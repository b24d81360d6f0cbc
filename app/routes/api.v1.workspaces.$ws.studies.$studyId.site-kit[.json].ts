import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { siteKit } from "#app/services/site-kit.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => {
    const kit = await siteKit(caller.user, requireParam(params, "ws"), requireParam(params, "studyId"));
    // A download the partner's IT reads: indented, and saved under a name that says which study it is for.
    return new Response(`${JSON.stringify(kit, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="site-kit-${kit.study.id}.json"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
