import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { protocolJson, protocolSummaryJson } from "#app/http/serializers/protocols.server.ts";
import { createProtocol, listProtocols } from "#app/services/protocols.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params, request }) => ({
    items: listProtocols(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams)).map(
      protocolSummaryJson,
    ),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request }) =>
    created(protocolJson(createProtocol(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
