import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { listDatasetRows } from "#app/services/dataset-views.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller, params, request }) => {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const page = listDatasetRows(caller.user, requireParam(params, "ws"), requireParam(params, "datasetId"), query);
    const next = page.offset + page.items.length;
    return { items: page.items, total: page.total, offset: page.offset, nextCursor: next < page.total && page.items.length > 0 ? String(next) : null };
  },
});
