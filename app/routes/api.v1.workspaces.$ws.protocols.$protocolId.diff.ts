import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { protocolDiffJson } from "#app/public-shapes/protocols.ts";
import { diffProtocolVersions } from "#app/services/protocols.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) =>
    protocolDiffJson(
      await diffProtocolVersions(
        caller.user,
        requireParam(params, "ws"),
        requireParam(params, "protocolId"),
        Object.fromEntries(new URL(request.url).searchParams),
      ),
    ),
});
