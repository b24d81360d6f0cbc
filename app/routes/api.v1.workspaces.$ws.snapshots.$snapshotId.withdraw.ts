import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { snapshotSummaryJson } from "#app/public-shapes/snapshots.ts";
import { withdrawSnapshot } from "#app/services/snapshots.server.ts";

export const { loader, action } = apiRoute({
  /** `{reason}`: lead only; the snapshot stays readable, with the notice. */
  POST: async ({ caller, params, request, context }) =>
    snapshotSummaryJson(
      await withdrawSnapshot(caller.user, requireParam(params, "ws"), requireParam(params, "snapshotId"), await readJsonBody(request)),
      context.publicOrigin,
    ),
});
