import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { versionJson, versionSummaryJson } from "#app/public-shapes/protocols.ts";
import { listProtocolVersions, saveProtocolVersion } from "#app/services/protocols.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) => {
    const page = await listProtocolVersions(
      caller.user,
      requireParam(params, "ws"),
      requireParam(params, "protocolId"),
      Object.fromEntries(new URL(request.url).searchParams),
    );
    return { items: page.items.map(versionSummaryJson), nextCursor: page.nextCursor };
  },
  POST: async ({ caller, params, request }) =>
    created(
      versionJson(
        await saveProtocolVersion(caller.user, requireParam(params, "ws"), requireParam(params, "protocolId"), await readJsonBody(request)),
      ),
    ),
});
