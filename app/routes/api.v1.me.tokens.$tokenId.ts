import { apiRoute, noContent, requireParam } from "#app/http/api.server.ts";
import { revokeAccessToken } from "#app/services/access-tokens.server.ts";

export const { loader, action } = apiRoute({
  DELETE: async ({ caller, params }) => {
    await revokeAccessToken(caller.user, requireParam(params, "tokenId"));
    return noContent();
  },
});
