/**
 * Pre-registration (docs/decisions/031-pre-registration.md): a protocol
 * version, the chosen profiles with their criteria, and the analysis options,
 * frozen before results are in. `markProfiles` says, for each profile of a
 * later analysis, whether it was pre-registered, changed since, or added
 * after, as journals ask; `markEffectModifier` says whether a biomarker an
 * effect-modification analysis stratifies by was pre-specified or is
 * exploratory. Pure code: the pages use it too.
 */
import canonicalize from "canonicalize";
import type { EffectMeasure } from "./effect-sizes.ts";
import type { PoolingMethod } from "./meta-analysis.ts";

/** Written into every registration; a later change of the stored shape gets a new number. */
export const REGISTRATION_FORMAT = "consilience-registration/1";

export const REGISTRATION_STATUSES = ["pre-registered", "changed-since-registration", "added-after"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const REGISTRATION_LABELS: Record<RegistrationStatus, string> = {
  "pre-registered": "pre-registered",
  "changed-since-registration": "changed since registration",
  "added-after": "added after",
};

export interface RegisteredProfile {
  id: string;
  name: string;
  version: number;
  description: string;
  /** The criteria in words, as the comparison writes them. */
  text: string;
  criteria: unknown;
}

export interface RegistrationOptions {
  /** The outcome by name, as the comparison takes it. */
  outcome: string;
  measure: EffectMeasure;
  method: PoolingMethod;
  knha: boolean;
}

/** Everything a registration holds; its canonical JSON is what the hash is taken over. */
export interface RegistrationContent {
  format: typeof REGISTRATION_FORMAT;
  metadata: {
    title: string;
    number: number;
    authors: { name: string; orcid: string | null }[];
    createdAt: string;
    createdBy: string;
    workspace: { id: string; name: string };
  };
  /** The protocol version the analysis follows; its text's SHA-256 pins the words. */
  protocol: { id: string; title: string; version: number; bodySha256: string };
  profiles: RegisteredProfile[];
  options: RegistrationOptions;
  /** The analysis plan in the lead's words (may be empty). */
  plan: string;
  /**
   * Panel biomarkers named as effect modifiers, with their label and unit in
   * words. Absent when none were named (and from registrations made before
   * they could be), so those registrations' canonical JSON and hash stay as they were.
   */
  effectModifiers?: RegisteredEffectModifier[];
}

export interface RegisteredEffectModifier {
  code: string;
  label: string;
  unit: string;
}

/** What the marking needs of a registration: when it was made, what it names, and how to cite it. */
export interface RegistrationRef {
  id: string;
  number: number;
  title: string;
  hash: string;
  createdAt: string;
  outcome: string;
  profiles: (Pick<RegisteredProfile, "id" | "version" | "criteria"> & { name?: string })[];
  /** Biomarker codes named as effect modifiers (none for registrations that name none). */
  effectModifiers?: string[];
}

export interface ProfileRegistrationMark {
  profileId: string;
  status: RegistrationStatus;
  /** The registration the status rests on (for "added after", a registration made too late, if any). */
  registration: Pick<RegistrationRef, "id" | "number" | "title" | "hash" | "createdAt"> | null;
  /** The profile's version as registered (null when not registered in time). */
  registeredVersion: number | null;
  currentVersion: number;
  /** When the first data feeding this profile's column entered the workspace (null: none yet). */
  firstDataAt: string | null;
  /** One sentence saying why. */
  reason: string;
}

/** Outcome names compare as the comparison compares them: case and spacing ignored. */
export const sameOutcome = (a: string, b: string) =>
  a.trim().toLowerCase().replace(/\s+/g, " ") === b.trim().toLowerCase().replace(/\s+/g, " ");

/** Criteria compare by their canonical JSON (RFC 8785): key order and number spelling do not count, any real edit does. */
export const sameCriteria = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/**
 * The marking rule. A registration counts for a profile of an analysis of
 * `outcome` when it names that outcome and was made strictly before the first
 * data that feed the profile's column (`firstDataAt`; with no data yet every
 * registration counts). Then:
 * - pre-registered: a counting registration names the profile with the
 *   criteria it has now (the latest such registration is cited);
 * - changed since registration: counting registrations name it, but with other
 *   criteria (the latest is cited, with the version it registered);
 * - added after: no counting registration names it (a registration made after
 *   the data, if one names it, is cited as such).
 * Returns null when the workspace has no registration at all: nothing to mark.
 */
export function markProfiles(input: {
  outcome: string | null;
  profiles: { id: string; version: number; criteria: unknown }[];
  registrations: RegistrationRef[];
  firstDataAt: Map<string, string | null>;
}): ProfileRegistrationMark[] | null {
  if (!input.registrations.length) return null;
  const ordered = [...input.registrations].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.number - b.number);
  const forOutcome = ordered.filter((r) => input.outcome !== null && sameOutcome(r.outcome, input.outcome));
  return input.profiles.map((profile) => {
    const firstDataAt = input.firstDataAt.get(profile.id) ?? null;
    const inTime = (r: RegistrationRef) => firstDataAt === null || Date.parse(r.createdAt) < Date.parse(firstDataAt);
    const naming = forOutcome.flatMap((r) => {
      const registered = r.profiles.find((p) => p.id === profile.id);
      return registered ? [{ r, registered }] : [];
    });
    const counting = naming.filter(({ r }) => inTime(r));
    const cite = (r: RegistrationRef) => ({ id: r.id, number: r.number, title: r.title, hash: r.hash, createdAt: r.createdAt });
    const base = { profileId: profile.id, currentVersion: profile.version, firstDataAt };
    const matching = counting.filter(({ registered }) => sameCriteria(registered.criteria, profile.criteria)).at(-1);
    if (matching)
      return {
        ...base,
        status: "pre-registered" as const,
        registration: cite(matching.r),
        registeredVersion: matching.registered.version,
        reason: `Registered with these criteria in registration ${matching.r.number}, before any data fed it.`,
      };
    const latest = counting.at(-1);
    if (latest)
      return {
        ...base,
        status: "changed-since-registration" as const,
        registration: cite(latest.r),
        registeredVersion: latest.registered.version,
        reason: `Registered at version ${latest.registered.version} in registration ${latest.r.number}; its criteria have changed since.`,
      };
    const late = naming.at(0);
    return {
      ...base,
      status: "added-after" as const,
      registration: late ? cite(late.r) : null,
      registeredVersion: null,
      reason: late
        ? `Registered in registration ${late.r.number} only after data had fed it.`
        : "No registration made before its data names it for this outcome.",
    };
  });
}

export const EFFECT_MODIFIER_STATUSES = ["pre-specified", "exploratory"] as const;
export type EffectModifierStatus = (typeof EFFECT_MODIFIER_STATUSES)[number];

export const EFFECT_MODIFIER_LABELS: Record<EffectModifierStatus, string> = {
  "pre-specified": "pre-specified",
  exploratory: "exploratory",
};

/** How a registration names a biomarker: in its list of effect modifiers, or as a registered profile's criterion. */
export const EFFECT_MODIFIER_BASES = ["effect-modifier", "profile-criteria"] as const;
export type EffectModifierBasis = (typeof EFFECT_MODIFIER_BASES)[number];

export interface EffectModifierMark {
  biomarker: string;
  status: EffectModifierStatus;
  /** The registration the status rests on (for "exploratory", a registration made too late, if any). */
  registration: Pick<RegistrationRef, "id" | "number" | "title" | "hash" | "createdAt"> | null;
  /** How that registration names the biomarker (null when none does). */
  basis: EffectModifierBasis | null;
  /** When the first data feeding the analysis entered the workspace (null: none yet). */
  firstDataAt: string | null;
  /** One sentence saying why. */
  reason: string;
}

/** Every biomarker code a profile's criteria use, however deeply grouped; stored criteria are read defensively. */
function criteriaBiomarkers(criteria: unknown, into = new Set<string>()): Set<string> {
  if (!criteria || typeof criteria !== "object") return into;
  const node = criteria as { kind?: unknown; code?: unknown; items?: unknown };
  if (Array.isArray(node.items)) for (const item of node.items) criteriaBiomarkers(item, into);
  else if (node.kind === "biomarker" && typeof node.code === "string") into.add(node.code);
  return into;
}

/** How a registration names the biomarker, and through which profile; null when it does not. */
function namingOf(r: RegistrationRef, biomarker: string): { basis: EffectModifierBasis; profile?: string } | null {
  if (r.effectModifiers?.includes(biomarker)) return { basis: "effect-modifier" };
  const profile = r.profiles.find((p) => criteriaBiomarkers(p.criteria).has(biomarker));
  return profile ? { basis: "profile-criteria", profile: profile.name ?? profile.id } : null;
}

/**
 * The effect modifier's mark, by the profiles' rule of "before": a
 * registration counts when it names the analysis's outcome and was made
 * strictly before the first data feeding the analysis (`firstDataAt`; with no
 * data yet every registration counts). It names the biomarker when its list of
 * effect modifiers holds it, or when one of its profiles' criteria uses it (a
 * profile "hs-CRP ≥ 3 mg/L" pre-specifies hs-CRP as the stratifier). Then:
 * - pre-specified: a counting registration names it (the latest is cited);
 * - exploratory: none does (a registration naming it too late, if any, is cited).
 * Returns null when the workspace has no registration at all: nothing to mark.
 */
export function markEffectModifier(input: {
  outcome: string | null;
  biomarker: string;
  registrations: RegistrationRef[];
  firstDataAt: string | null;
}): EffectModifierMark | null {
  if (!input.registrations.length) return null;
  const { biomarker, firstDataAt } = input;
  const ordered = [...input.registrations].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.number - b.number);
  const naming = ordered.flatMap((r) => {
    const how = input.outcome !== null && sameOutcome(r.outcome, input.outcome) ? namingOf(r, biomarker) : null;
    return how ? [{ r, how }] : [];
  });
  const inTime = (r: RegistrationRef) => firstDataAt === null || Date.parse(r.createdAt) < Date.parse(firstDataAt);
  const cite = (r: RegistrationRef) => ({ id: r.id, number: r.number, title: r.title, hash: r.hash, createdAt: r.createdAt });
  const latest = naming.filter(({ r }) => inTime(r)).at(-1);
  if (latest)
    return {
      biomarker,
      status: "pre-specified",
      registration: cite(latest.r),
      basis: latest.how.basis,
      firstDataAt,
      reason:
        latest.how.basis === "effect-modifier"
          ? `Named as an effect modifier in registration ${latest.r.number}, before any data fed this analysis.`
          : `Used by the criteria of the profile “${latest.how.profile}” in registration ${latest.r.number}, before any data fed this analysis.`,
    };
  const late = naming.at(0);
  return {
    biomarker,
    status: "exploratory",
    registration: late ? cite(late.r) : null,
    basis: late ? late.how.basis : null,
    firstDataAt,
    reason: late
      ? `Named in registration ${late.r.number} only after data had fed this analysis.`
      : "No registration made before its data names it for this outcome.",
  };
}
