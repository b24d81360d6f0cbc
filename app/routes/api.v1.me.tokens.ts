import { apiRoute, created, readJsonBody } from "#app/http/api.server.ts";
import { accessTokenJson } from "#app/http/serializers.server.ts";
import { createAccessToken, listAccessTokens } from "#app/services/access-tokens.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller }) => ({ items: listAccessTokens(caller.user).map(accessTokenJson), nextCursor: null }),
  POST: async ({ caller, request }) => {
    const token = createAccessToken(caller.user, await readJsonBody(request));
    return created({ token: token.token, id: token.id, label: token.label, expiresAt: token.expiresAt.toISOString() });
  },
});
