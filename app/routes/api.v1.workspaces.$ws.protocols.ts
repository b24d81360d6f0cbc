import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { protocolJson, protocolSummaryJson } from "#app/public-shapes/protocols.ts";
import { createProtocol, listProtocols } from "#app/services/protocols.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) => {
    const page = await listProtocols(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams));
    return { items: page.items.map(protocolSummaryJson), nextCursor: page.nextCursor };
  },
  POST: async ({ caller, params, request }) =>
    created(protocolJson(await createProtocol(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
