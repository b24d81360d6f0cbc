/** How the API writes registrations and the marks they put on later analyses' profiles. */
import type { z } from "zod";
import type { EffectModifierMark, ProfileRegistrationMark, RegistrationContent } from "#app/domain/registrations.ts";
import type {
  EffectModifierRegistrationJson,
  ProfileRegistrationJson,
  RegistrationContentJson,
  RegistrationCreatedJson,
  RegistrationJson,
  RegistrationSummaryJson,
} from "#app/schemas/registrations.ts";

export interface RegistrationSummaryView {
  id: string;
  workspaceId: string;
  number: number;
  title: string;
  hash: string;
  createdAt: Date;
  createdBy: { id: string; name: string };
  outcome: string;
  protocol: { id: string; title: string; version: number };
  profiles: { id: string; name: string; version: number }[];
  effectModifiers: string[];
}

export interface RegistrationView extends RegistrationSummaryView {
  content: RegistrationContent;
}

/** The registration's page, on the origin the app is served from (or a path, with no origin). */
export const registrationUrl = (origin: string, r: { workspaceId: string; id: string }) =>
  `${origin}/workspaces/${encodeURIComponent(r.workspaceId)}/registrations/${encodeURIComponent(r.id)}`;

export const registrationSummaryJson = (r: RegistrationSummaryView, origin: string): z.output<typeof RegistrationSummaryJson> => ({
  id: r.id,
  number: r.number,
  title: r.title,
  hash: r.hash,
  createdAt: r.createdAt.toISOString(),
  createdBy: r.createdBy,
  url: registrationUrl(origin, r),
  outcome: r.outcome,
  protocol: r.protocol,
  profiles: r.profiles,
  effectModifiers: r.effectModifiers,
});

export const registrationJson = (r: RegistrationView, origin: string): z.output<typeof RegistrationJson> => {
  const { outcome: _o, protocol: _p, profiles: _f, effectModifiers: _m, ...header } = registrationSummaryJson(r, origin);
  return { ...header, content: r.content as z.output<typeof RegistrationContentJson> };
};

export const registrationCreatedJson = (r: RegistrationSummaryView, origin: string): z.output<typeof RegistrationCreatedJson> => ({
  id: r.id,
  number: r.number,
  hash: r.hash,
  createdAt: r.createdAt.toISOString(),
  url: registrationUrl(origin, r),
});

/** The registration a mark cites, with its address on this host (marks are stored without it). */
const citedRegistration = <T extends { id: string }>(cited: T | null, workspaceId: string, origin: string) =>
  cited && { ...cited, url: registrationUrl(origin, { workspaceId, id: cited.id }) };

export const profileRegistrationJson = (
  mark: ProfileRegistrationMark | null | undefined,
  workspaceId: string,
  origin: string,
): z.output<typeof ProfileRegistrationJson> =>
  mark
    ? {
        status: mark.status,
        registration: citedRegistration(mark.registration, workspaceId, origin),
        registeredVersion: mark.registeredVersion,
        currentVersion: mark.currentVersion,
        firstDataAt: mark.firstDataAt,
        reason: mark.reason,
      }
    : null;

export const effectModifierRegistrationJson = (
  mark: EffectModifierMark | null | undefined,
  workspaceId: string,
  origin: string,
): z.output<typeof EffectModifierRegistrationJson> =>
  mark
    ? {
        status: mark.status,
        registration: citedRegistration(mark.registration, workspaceId, origin),
        basis: mark.basis,
        firstDataAt: mark.firstDataAt,
        reason: mark.reason,
      }
    : null;
