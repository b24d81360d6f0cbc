import { apiRoute, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { profileJson } from "#app/public-shapes/profiles.ts";
import { getProfile, updateProfile } from "#app/services/profiles.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) =>
    profileJson(await getProfile(caller.user, requireParam(params, "ws"), requireParam(params, "profileId"))),
  PATCH: async ({ caller, params, request }) =>
    profileJson(
      await updateProfile(caller.user, requireParam(params, "ws"), requireParam(params, "profileId"), await readJsonBody(request)),
    ),
});
