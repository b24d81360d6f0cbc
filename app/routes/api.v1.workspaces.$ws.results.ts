import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { resultJson } from "#app/public-shapes/results.ts";
import { createResult, listResults } from "#app/services/results.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, request }) => {
    const page = await listResults(caller.user, requireParam(params, "ws"), Object.fromEntries(new URL(request.url).searchParams));
    return { items: page.items.map(resultJson), nextCursor: page.nextCursor };
  },
  POST: async ({ caller, params, request }) =>
    created(resultJson(await createResult(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
