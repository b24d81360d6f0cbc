import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { snapshotJson } from "#app/public-shapes/snapshots.ts";
import { getSnapshot } from "#app/services/snapshots.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, context }) =>
    snapshotJson(await getSnapshot(caller.user, requireParam(params, "ws"), requireParam(params, "snapshotId")), context.publicOrigin),
});
