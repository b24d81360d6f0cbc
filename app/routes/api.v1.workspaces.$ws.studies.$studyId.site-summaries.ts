import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { siteSummaryJson } from "#app/public-shapes/site-summaries.ts";
import { listSiteSummaries, uploadSiteSummary } from "#app/services/site-summaries.server.ts";

export const { loader, action } = apiRoute({
  /** Every version of every site's summary of the study, newest first per site. */
  GET: async ({ caller, params }) => ({
    items: (await listSiteSummaries(caller.user, requireParam(params, "ws"), requireParam(params, "studyId"))).map(siteSummaryJson),
  }),
  /** `{site, summary}`: the site-summary.json a partner's consilience-site.mjs wrote. */
  POST: async ({ caller, params, request }) =>
    created(
      siteSummaryJson(
        await uploadSiteSummary(
          caller.user,
          requireParam(params, "ws"),
          requireParam(params, "studyId"),
          await readJsonBody(request, { maxBytes: 8 * 1024 * 1024 }),
        ),
      ),
    ),
});
