import { apiRoute, readJsonBody } from "#app/http/api.server.ts";
import { emailDeliveryOf, setEmailDelivery } from "#app/services/email-preferences.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller }) => ({ delivery: await emailDeliveryOf(caller.user.id) }),
  /** Chooses how the caller gets email: `{delivery: "immediately" | "daily" | "never"}`. */
  PUT: async ({ caller, request }) => ({ delivery: await setEmailDelivery(caller.user, await readJsonBody(request)) }),
});
