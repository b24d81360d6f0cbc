/** How the API writes our records: ids as strings, times as ISO 8601 UTC. */
import type { AccessTokenInfo } from "#app/services/access-tokens.server.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import type { MemberView } from "#app/services/members.server.ts";
import type { WorkspaceView } from "#app/services/workspaces.server.ts";

export const userJson = (u: PublicUser) => ({ id: u.id, email: u.email, name: u.name });

export const workspaceJson = (w: WorkspaceView) => ({
  id: w.id,
  name: w.name,
  description: w.description,
  role: w.role,
  createdAt: w.createdAt.toISOString(),
});

export const memberJson = (m: MemberView) => ({
  userId: m.userId,
  name: m.name,
  email: m.email,
  role: m.role,
  joinedAt: m.joinedAt.toISOString(),
});

export const accessTokenJson = (t: AccessTokenInfo) => ({
  id: t.id,
  label: t.label,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** The link a lead shares: our own origin, so it works wherever the app is served. */
export function invitationUrl(request: Request, token: string): string {
  return new URL(`/invitations/${token}`, new URL(request.url).origin).toString();
}
