import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { protocolJson } from "#app/public-shapes/protocols.ts";
import { forkProtocol } from "#app/services/protocol-forks.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) =>
    created(
      protocolJson(
        await forkProtocol(caller.user, requireParam(params, "ws"), requireParam(params, "protocolId"), await readJsonBody(request)),
      ),
    ),
});
