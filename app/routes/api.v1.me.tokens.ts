import { apiRoute, created, readJsonBody } from "#app/http/api.server.ts";
import { accessTokenJson, issuedAccessTokenJson } from "#app/public-shapes/accounts.ts";
import { createAccessToken, listAccessTokens } from "#app/services/access-tokens.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller }) => ({ items: (await listAccessTokens(caller.user)).map(accessTokenJson), nextCursor: null }),
  POST: async ({ caller, request }) => created(issuedAccessTokenJson(await createAccessToken(caller.user, await readJsonBody(request)))),
});
