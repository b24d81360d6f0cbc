import { created, noContent, publicApiRoute, readJsonBody } from "#app/http/api.server.ts";
import { issuedAccessTokenJson } from "#app/public-shapes/accounts.ts";
import { authenticateWithPassword } from "#app/services/accounts.server.ts";
import { createAccessToken, revokeAccessToken } from "#app/services/access-tokens.server.ts";
import { requireCaller } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import { IssueTokenInput } from "#app/schemas/accounts.ts";
import { parseInput } from "#app/services/validation.server.ts";

export const { loader, action } = publicApiRoute({
  /** Exchanges email and password for a personal access token (rate limited). */
  POST: async ({ request, context }) => {
    const body = parseInput(IssueTokenInput, await readJsonBody(request));
    const user = await authenticateWithPassword(body, context.clientIp);
    const token = await createAccessToken(user, { label: body.label ?? "API token", expiresInDays: body.expiresInDays });
    return created(issuedAccessTokenJson(token));
  },
  /** Revokes the token this request is authenticated with. */
  DELETE: async ({ request }) => {
    const caller = await requireCaller(request);
    if (caller.via !== "token") throw validationFailed("Send the token to revoke as Authorization: Bearer <token>.");
    await revokeAccessToken(caller.user, caller.tokenId);
    return noContent();
  },
});
