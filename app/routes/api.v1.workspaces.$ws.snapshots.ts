import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { snapshotCreatedJson, snapshotSummaryJson } from "#app/public-shapes/snapshots.ts";
import { createSnapshot, listSnapshots } from "#app/services/snapshots.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, context }) => ({
    items: (await listSnapshots(caller.user, requireParam(params, "ws"))).map((s) => snapshotSummaryJson(s, context.publicOrigin)),
    nextCursor: null,
  }),
  /** `{title, scope, row?, profile?, authors?, licence?, outcome?, measure?, method?, knha?, prefer?, exclude?}`: lead only. */
  POST: async ({ caller, params, request, context }) =>
    created(
      snapshotCreatedJson(await createSnapshot(caller.user, requireParam(params, "ws"), await readJsonBody(request)), context.publicOrigin),
    ),
});
