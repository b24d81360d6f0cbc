/**
 * Who is calling: a personal access token (`Authorization: Bearer`) or the
 * browser's session cookie. Cross-origin protection for cookie-authenticated
 * writes lives in the server's middleware (server/security.ts), before any route.
 */
import { redirect } from "@remix-run/node";
import type { PublicUser } from "./accounts.server.ts";
import { authenticateAccessToken } from "./access-tokens.server.ts";
import { unauthorized } from "./errors.server.ts";
import { sessionTokenFromCookieHeader, validateSessionToken } from "./session.server.ts";

export type Caller = { user: PublicUser; via: "session"; sessionId: string } | { user: PublicUser; via: "token"; tokenId: string };

/** Resolves bearer token or session cookie; a malformed or stale credential resolves to null. */
export async function authenticate(headers: { authorization?: string | null; cookie?: string | null }): Promise<Caller | null> {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const found = match ? await authenticateAccessToken(match[1]) : null;
    return found ? { user: found.user, via: "token", tokenId: found.tokenId } : null;
  }
  const token = sessionTokenFromCookieHeader(headers.cookie);
  if (!token) return null;
  const found = await validateSessionToken(token);
  return found ? { user: found.user, via: "session", sessionId: found.session.id } : null;
}

export async function authenticateRequest(request: Request): Promise<Caller | null> {
  return await authenticate({
    authorization: request.headers.get("authorization"),
    cookie: request.headers.get("cookie"),
  });
}

/** For the JSON API: the caller, or a 401. */
export async function requireCaller(request: Request): Promise<Caller> {
  const caller = await authenticateRequest(request);
  if (!caller) throw unauthorized();
  return caller;
}

/** For pages: the signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireSignedIn(request: Request): Promise<Caller> {
  const caller = await authenticateRequest(request);
  if (caller) return caller;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}
