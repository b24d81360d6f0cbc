import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { profileVersionJson } from "#app/public-shapes/profiles.ts";
import { listProfileVersions } from "#app/services/profiles.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => ({
    items: (await listProfileVersions(caller.user, requireParam(params, "ws"), requireParam(params, "profileId"))).map(profileVersionJson),
    nextCursor: null,
  }),
});
