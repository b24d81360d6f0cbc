import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { profileJson } from "#app/public-shapes/profiles.ts";
import { createProfile, listProfiles } from "#app/services/profiles.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params }) => ({
    items: (await listProfiles(caller.user, requireParam(params, "ws"))).map(profileJson),
    nextCursor: null,
  }),
  POST: async ({ caller, params, request }) =>
    created(profileJson(await createProfile(caller.user, requireParam(params, "ws"), await readJsonBody(request)))),
});
