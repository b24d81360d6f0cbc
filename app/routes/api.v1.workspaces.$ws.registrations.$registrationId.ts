import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { registrationJson } from "#app/public-shapes/registrations.ts";
import { getRegistration } from "#app/services/registrations.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, context }) =>
    registrationJson(
      await getRegistration(caller.user, requireParam(params, "ws"), requireParam(params, "registrationId")),
      context.publicOrigin,
    ),
});
