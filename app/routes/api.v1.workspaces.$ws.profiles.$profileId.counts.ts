import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { profileCountsJson } from "#app/public-shapes/comparison.ts";
import { getProfileCounts } from "#app/services/comparison.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    profileCountsJson(await getProfileCounts(caller.user, requireParam(params, "ws"), requireParam(params, "profileId"))),
});
