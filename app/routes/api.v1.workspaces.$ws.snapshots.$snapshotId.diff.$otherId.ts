import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { snapshotDiffJson } from "#app/public-shapes/snapshots.ts";
import { diffSnapshots } from "#app/services/snapshots.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    snapshotDiffJson(
      await diffSnapshots(caller.user, requireParam(params, "ws"), requireParam(params, "snapshotId"), requireParam(params, "otherId")),
    ),
});
