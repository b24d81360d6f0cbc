import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { registrationCreatedJson, registrationSummaryJson } from "#app/public-shapes/registrations.ts";
import { createRegistration, listRegistrations } from "#app/services/registrations.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller, params, context }) => ({
    items: (await listRegistrations(caller.user, requireParam(params, "ws"))).map((r) => registrationSummaryJson(r, context.publicOrigin)),
    nextCursor: null,
  }),
  /** `{title, protocolId, protocolVersion, profiles, outcome, measure, method?, knha?, plan?, authors?}`: lead only. */
  POST: async ({ caller, params, request, context }) =>
    created(
      registrationCreatedJson(
        await createRegistration(caller.user, requireParam(params, "ws"), await readJsonBody(request)),
        context.publicOrigin,
      ),
    ),
});
