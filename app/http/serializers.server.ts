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

/** The link a lead shares, on our public origin (never the Host the request named). */
export function invitationUrl(publicOrigin: string, token: string): string {
  return new URL(`/invitations/${token}`, publicOrigin).toString();
}

export const studyJson = (s: import("#app/services/studies.server.ts").StudyView) => ({
  id: s.id,
  title: s.title,
  design: s.design,
  registryId: s.registryId,
  population: s.population,
  protocolId: s.protocolId,
  panelId: s.panelId,
  version: s.version,
  arms: s.arms.map((a) => ({ id: a.id, name: a.name, class: a.class, dose: a.dose })),
  outcomes: s.outcomes.map((o) => ({ id: o.id, name: o.name, kind: o.kind, timepoint: o.timepoint })),
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export const studySummaryJson = (s: import("#db/schema.ts").Study) => ({
  id: s.id,
  title: s.title,
  design: s.design,
  registryId: s.registryId,
  version: s.version,
  updatedAt: s.updatedAt.toISOString(),
});
