import { apiRoute, readJsonBody } from "#app/http/api.server.ts";
import { userJson } from "#app/public-shapes/accounts.ts";
import { changeName } from "#app/services/accounts.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller }) => userJson(caller.user),
  /** Changes the caller's display name: `{name}`. */
  PATCH: async ({ caller, request }) => userJson(await changeName(caller.user, await readJsonBody(request))),
});
