import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { protocolJson } from "#app/public-shapes/protocols.ts";
import { getProtocol, updateProtocol } from "#app/services/protocols.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    protocolJson(await getProtocol(caller.user, requireParam(params, "ws"), requireParam(params, "protocolId"))),
  PATCH: async ({ caller, params, request }) =>
    protocolJson(
      await updateProtocol(caller.user, requireParam(params, "ws"), requireParam(params, "protocolId"), await readJsonBody(request)),
    ),
});
