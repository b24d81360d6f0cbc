import { created, publicApiRoute, readJsonBody } from "#app/http/api.server.ts";
import { registeredUserJson } from "#app/public-shapes/accounts.ts";
import { registerUser } from "#app/services/accounts.server.ts";

export const { loader, action } = publicApiRoute({
  POST: async ({ request }) => created(registeredUserJson(await registerUser(await readJsonBody(request)))),
});
