import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { snapshotDiffJson } from "#app/public-shapes/snapshots.ts";
import { getSnapshotChanges } from "#app/services/snapshots.server.ts";

export const { loader, action } = apiRoute({
  /** What changed in the live comparison since the snapshot, asked with the snapshot's own scope and options. */
  GET: async ({ caller, params }) =>
    snapshotDiffJson(await getSnapshotChanges(caller.user, requireParam(params, "ws"), requireParam(params, "snapshotId"))),
});
