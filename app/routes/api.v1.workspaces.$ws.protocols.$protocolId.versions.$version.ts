import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { versionJson } from "#app/public-shapes/protocols.ts";
import { getProtocolVersion } from "#app/services/protocols.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    versionJson(
      await getProtocolVersion(
        caller.user,
        requireParam(params, "ws"),
        requireParam(params, "protocolId"),
        Number(requireParam(params, "version")),
      ),
    ),
});
