import { created, publicApiRoute, readJsonBody } from "#app/http/api.server.ts";
import { userJson } from "#app/http/serializers.server.ts";
import { registerUser } from "#app/services/accounts.server.ts";

export const { loader, action } = publicApiRoute({
  POST: async ({ request }) => created({ user: userJson(await registerUser(await readJsonBody(request))) }),
});
