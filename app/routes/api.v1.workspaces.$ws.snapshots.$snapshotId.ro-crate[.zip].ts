import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { snapshotCrate } from "#app/services/snapshot-crate.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, context }) => {
    const { fileName, zip } = await snapshotCrate(
      caller.user,
      requireParam(params, "ws"),
      requireParam(params, "snapshotId"),
      context.publicOrigin,
    );
    return new Response(new Uint8Array(zip), {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
