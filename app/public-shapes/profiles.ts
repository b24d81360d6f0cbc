/** How the API writes patient profiles, their versions and the mapping of results to them. */
import type { z } from "zod";
import type { Profile } from "#db/schema.ts";
import type { CutoffComparison } from "#app/domain/profile-plan.ts";
import type { ProfileCriteria } from "#app/domain/profiles.ts";
import type { ProfileJson, ProfileVersionJson, ResultProfileMappingJson } from "#app/schemas/profiles.ts";

export interface ProfileView extends Profile {
  /** The criteria in plain language, with the panel's labels. */
  text: string;
}

export interface ProfileVersionView {
  version: number;
  name: string;
  description: string;
  criteria: ProfileCriteria;
  text: string;
  authorId: string;
  createdAt: Date;
}

export interface ResultMapping {
  resultId: string;
  profileId: string;
  profileName: string;
  subgroup: string;
  mappedBy: string;
  mappedAt: Date;
  /** How the result's subgroup differs from the profile's cut-offs. */
  cutoff: CutoffComparison;
}

export const profileJson = (p: ProfileView): z.output<typeof ProfileJson> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  criteria: p.criteria,
  text: p.text,
  version: p.version,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const profileVersionJson = (v: ProfileVersionView): z.output<typeof ProfileVersionJson> => ({
  version: v.version,
  name: v.name,
  description: v.description,
  criteria: v.criteria,
  text: v.text,
  authorId: v.authorId,
  createdAt: v.createdAt.toISOString(),
});

/** A result's mapping, or `profileId: null` when it is not mapped. */
export const mappingJson = (resultId: string, m: ResultMapping | null): z.output<typeof ResultProfileMappingJson> =>
  m
    ? {
        resultId: m.resultId,
        profileId: m.profileId,
        profileName: m.profileName,
        subgroup: m.subgroup,
        mappedBy: m.mappedBy,
        mappedAt: m.mappedAt.toISOString(),
        cutoffMatches: m.cutoff.matches,
        cutoffDifferences: m.cutoff.differences,
      }
    : { resultId, profileId: null };
