/**
 * Patient profiles: named criteria over the workspace's panel biomarkers and
 * participant attributes. Every edit bumps the version and stores a snapshot;
 * an edit based on an older version is refused (409). Summary-level results
 * are mapped to a profile here too (result.mapped).
 */
import { and, asc, desc, eq, inArray, max } from "drizzle-orm";
import { getDb, type Reader, type Transaction } from "#db/client.ts";
import { panelBiomarkers, panels, profiles, profileVersions, resultProfileMappings, results, type Profile } from "#db/schema.ts";
import type { BiomarkerInfo } from "#app/domain/profile-plan.ts";
import { compareSubgroupWithProfile } from "#app/domain/profile-plan.ts";
import { type CriteriaGroup, describeCriteria, isGroup } from "#app/domain/profiles.ts";
import { conversionFactor } from "#app/domain/units.ts";
import { CreateProfileInput, MapResultInput, UpdateProfileInput } from "#app/schemas/profiles.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { profileJson, type ProfileVersionView, type ProfileView, type ResultMapping } from "#app/public-shapes/profiles.ts";
import { newId } from "./crypto.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";
import { rejectStaleEdit } from "./versions.server.ts";

export type { ProfileView, ResultMapping };

/**
 * The biomarkers a profile may use: every panel of the workspace, by code (the
 * first panel by name wins when two define the same code).
 */
export async function workspaceBiomarkers(db: Reader, workspaceId: string): Promise<BiomarkerInfo[]> {
  const rows = await db
    .select({ b: panelBiomarkers })
    .from(panelBiomarkers)
    .innerJoin(panels, eq(panels.id, panelBiomarkers.panelId))
    .where(eq(panels.workspaceId, workspaceId))
    .orderBy(asc(panels.name), asc(panelBiomarkers.position));
  const byCode = new Map<string, BiomarkerInfo>();
  for (const { b } of rows) if (!byCode.has(b.code)) byCode.set(b.code, b);
  return [...byCode.values()];
}

export function labelLookup(biomarkers: BiomarkerInfo[]) {
  const byCode = new Map(biomarkers.map((b) => [b.code, b.label]));
  return (code: string) => byCode.get(code) ?? code;
}

function view(profile: Profile, biomarkers: BiomarkerInfo[]): ProfileView {
  return { ...profile, text: describeCriteria(profile.criteria, labelLookup(biomarkers)) };
}

/** Checks every biomarker criterion against the panels (known code, unit convertible) and fills in missing units. */
function checkCriteria(criteria: CriteriaGroup, biomarkers: BiomarkerInfo[], path = "criteria"): CriteriaGroup {
  const byCode = new Map(biomarkers.map((b) => [b.code, b]));
  return {
    op: criteria.op,
    items: criteria.items.map((item, i) => {
      const at = `${path}.items.${i}`;
      if (isGroup(item)) return checkCriteria(item, biomarkers, at);
      if (item.kind !== "biomarker") return item;
      const biomarker = byCode.get(item.code);
      if (!biomarker) {
        throw validationFailed(`${at}.code: no biomarker “${item.code}” in this workspace's panels.`, [
          { field: `${at}.code`, message: `No biomarker “${item.code}” in this workspace's panels.` },
        ]);
      }
      const unit = item.unit || biomarker.unit;
      const conversion = conversionFactor(unit, biomarker.unit, { molarMass: biomarker.molarMass, conventions: biomarker.unitConventions });
      if (!conversion.ok) {
        throw validationFailed(`${at}.unit: ${conversion.message}`, [{ field: `${at}.unit`, message: conversion.message }]);
      }
      return { ...item, unit };
    }),
  };
}

export async function loadProfile(db: Reader, workspaceId: string, profileId: string): Promise<Profile> {
  const profile = (await db.select().from(profiles).where(eq(profiles.id, profileId)))[0];
  if (!profile || profile.workspaceId !== workspaceId) throw notFound("No patient profile with this id in this workspace.");
  return profile;
}

/** The workspace's profiles in column order (raw rows, for the comparison). */
export async function workspaceProfiles(db: Reader, workspaceId: string): Promise<Profile[]> {
  return await db
    .select()
    .from(profiles)
    .where(eq(profiles.workspaceId, workspaceId))
    .orderBy(asc(profiles.position), asc(profiles.createdAt));
}

export async function createProfile(actor: PublicUser, workspaceId: string, input: unknown): Promise<ProfileView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(CreateProfileInput, input);
    const biomarkers = await workspaceBiomarkers(tx, workspaceId);
    const criteria = checkCriteria(data.criteria, biomarkers);
    const now = new Date();
    const last = (
      await tx
        .select({ position: max(profiles.position) })
        .from(profiles)
        .where(eq(profiles.workspaceId, workspaceId))
    )[0];
    const profile: Profile = {
      id: newId(),
      workspaceId,
      name: data.name,
      description: data.description,
      criteria,
      position: (last?.position ?? -1) + 1,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(profiles).values(profile);
    await saveSnapshot(tx, profile, actor.id);
    const result = view(profile, biomarkers);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "profile.created",
      target: { type: "profile", id: profile.id },
      payload: { name: profile.name, criteria: result.text },
    });
    return result;
  });
}

export async function updateProfile(actor: PublicUser, workspaceId: string, profileId: string, input: unknown): Promise<ProfileView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadProfile(tx, workspaceId, profileId);
    const changes = parseInput(UpdateProfileInput, input);
    const biomarkers = await workspaceBiomarkers(tx, workspaceId);
    await rejectStaleEdit(changes.baseVersion, before.version, { what: "profile", current: () => profileJson(view(before, biomarkers)) });
    const after: Profile = {
      ...before,
      name: changes.name ?? before.name,
      description: changes.description ?? before.description,
      criteria: changes.criteria ? checkCriteria(changes.criteria, biomarkers) : before.criteria,
      version: before.version + 1,
      updatedAt: new Date(),
    };
    await tx
      .update(profiles)
      .set({
        name: after.name,
        description: after.description,
        criteria: after.criteria,
        version: after.version,
        updatedAt: after.updatedAt,
      })
      .where(eq(profiles.id, profileId));
    await saveSnapshot(tx, after, actor.id);
    const beforeView = view(before, biomarkers);
    const afterView = view(after, biomarkers);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "profile.updated",
      target: { type: "profile", id: profileId },
      payload: {
        version: after.version,
        before: { name: before.name, description: before.description, criteria: beforeView.text },
        after: { name: after.name, description: after.description, criteria: afterView.text },
      },
    });
    return afterView;
  });
}

async function saveSnapshot(tx: Transaction, profile: Profile, authorId: string) {
  await tx.insert(profileVersions).values({
    id: newId(),
    profileId: profile.id,
    version: profile.version,
    snapshot: { name: profile.name, description: profile.description, criteria: profile.criteria },
    authorId,
    createdAt: new Date(),
  });
}

export async function listProfiles(actor: PublicUser, workspaceId: string): Promise<ProfileView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const biomarkers = await workspaceBiomarkers(getDb(), workspaceId);
  return (await workspaceProfiles(getDb(), workspaceId)).map((p) => view(p, biomarkers));
}

export async function getProfile(actor: PublicUser, workspaceId: string, profileId: string): Promise<ProfileView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return view(await loadProfile(getDb(), workspaceId, profileId), await workspaceBiomarkers(getDb(), workspaceId));
}

export async function listProfileVersions(actor: PublicUser, workspaceId: string, profileId: string): Promise<ProfileVersionView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  await loadProfile(getDb(), workspaceId, profileId);
  const labelOf = labelLookup(await workspaceBiomarkers(getDb(), workspaceId));
  return (
    await getDb().select().from(profileVersions).where(eq(profileVersions.profileId, profileId)).orderBy(desc(profileVersions.version))
  ).map((v) => ({
    version: v.version,
    ...v.snapshot,
    text: describeCriteria(v.snapshot.criteria, labelOf),
    authorId: v.authorId,
    createdAt: v.createdAt,
  }));
}

/** Maps a result to a profile (or unmaps it with profileId null): contributors and leads. */
export async function mapResultToProfile(
  actor: PublicUser,
  workspaceId: string,
  resultId: string,
  input: unknown,
): Promise<ResultMapping | null> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const result = (await tx.select().from(results).where(eq(results.id, resultId)))[0];
    if (!result || result.workspaceId !== workspaceId) throw notFound("No result with this id in this workspace.");
    const { profileId } = parseInput(MapResultInput, input);
    const before = (await tx.select().from(resultProfileMappings).where(eq(resultProfileMappings.resultId, resultId)))[0];
    let profile: Profile | null = null;
    if (profileId) {
      const found = (await tx.select().from(profiles).where(eq(profiles.id, profileId)))[0];
      if (!found || found.workspaceId !== workspaceId) {
        throw validationFailed("profileId: no patient profile with this id in this workspace.", [
          { field: "profileId", message: "No patient profile with this id in this workspace." },
        ]);
      }
      profile = found;
    }
    await tx.delete(resultProfileMappings).where(eq(resultProfileMappings.resultId, resultId));
    const now = new Date();
    if (profile) {
      await tx.insert(resultProfileMappings).values({ resultId, workspaceId, profileId: profile.id, mappedBy: actor.id, mappedAt: now });
    }
    const biomarkers = await workspaceBiomarkers(tx, workspaceId);
    const cutoff = profile ? compareSubgroupWithProfile(result.subgroup, profile.criteria, biomarkers) : null;
    await record({
      workspaceId,
      actorId: actor.id,
      type: "result.mapped",
      target: { type: "result", id: resultId },
      payload: {
        studyId: result.studyId,
        subgroup: result.subgroup,
        before: before?.profileId ?? null,
        after: profile?.id ?? null,
        profile: profile?.name ?? null,
        cutoff: cutoff?.summary ?? null,
      },
    });
    return profile && cutoff
      ? { resultId, profileId: profile.id, profileName: profile.name, subgroup: result.subgroup, mappedBy: actor.id, mappedAt: now, cutoff }
      : null;
  });
}

/** Every mapping of the workspace with its cut-off comparison (for the profiles page and the study page). */
export async function listResultMappings(actor: PublicUser, workspaceId: string, resultIds?: string[]): Promise<ResultMapping[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const biomarkers = await workspaceBiomarkers(db, workspaceId);
  const where = resultIds
    ? and(eq(resultProfileMappings.workspaceId, workspaceId), inArray(resultProfileMappings.resultId, resultIds))
    : eq(resultProfileMappings.workspaceId, workspaceId);
  return (
    await db
      .select({ mapping: resultProfileMappings, profile: profiles, subgroup: results.subgroup })
      .from(resultProfileMappings)
      .innerJoin(profiles, eq(profiles.id, resultProfileMappings.profileId))
      .innerJoin(results, eq(results.id, resultProfileMappings.resultId))
      .where(where)
  ).map(({ mapping, profile, subgroup }) => ({
    resultId: mapping.resultId,
    profileId: profile.id,
    profileName: profile.name,
    subgroup,
    mappedBy: mapping.mappedBy,
    mappedAt: mapping.mappedAt,
    cutoff: compareSubgroupWithProfile(subgroup, profile.criteria, biomarkers),
  }));
}

/** The biomarkers a profile may use, for the criteria builder. */
export async function listProfileBiomarkers(actor: PublicUser, workspaceId: string) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return (await workspaceBiomarkers(getDb(), workspaceId)).map((b) => ({ code: b.code, label: b.label, unit: b.unit }));
}
