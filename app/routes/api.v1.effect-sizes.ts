import { apiRoute, readJsonBody } from "#app/http/api.server.ts";
import { effectSizesJson } from "#app/public-shapes/meta-analysis.ts";
import { calculateEffectSizes } from "#app/services/meta-analysis.server.ts";

export const { loader, action } = apiRoute({
  /** One study's `{yi, vi}` as metafor's escalc computes it, or a list of them for `{measure, studies}`. */
  POST: async ({ request }) => effectSizesJson(calculateEffectSizes(await readJsonBody(request))),
});
