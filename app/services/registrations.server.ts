/**
 * Pre-registrations (docs/decisions/031-pre-registration.md): a lead freezes a
 * protocol version, the chosen profiles (version and criteria) and the
 * analysis options before results are in. Stored like a snapshot: canonical
 * JSON (RFC 8785) with its SHA-256, never changed (the database refuses
 * updates and deletes). Later analyses read the registrations to mark each
 * profile as pre-registered, changed since registration, or added after.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { getDb, type Reader } from "#db/client.ts";
import {
  datasets,
  protocols,
  protocolVersions,
  registrations,
  results,
  siteSummaries,
  studies,
  studyOutcomes,
  users,
  workspaces,
} from "#db/schema.ts";
import type { ComparisonInput } from "#app/domain/comparison.ts";
import { describeCriteria } from "#app/domain/profiles.ts";
import {
  markProfiles,
  REGISTRATION_FORMAT,
  type ProfileRegistrationMark,
  markEffectModifier,
  type EffectModifierMark,
  type RegisteredEffectModifier,
  type RegistrationContent,
  type RegistrationRef,
} from "#app/domain/registrations.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { RegistrationSummaryView, RegistrationView } from "#app/public-shapes/registrations.ts";
import { CreateRegistrationInput } from "#app/schemas/registrations.ts";
import { newId } from "./crypto.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { labelLookup, workspaceBiomarkers, workspaceProfiles } from "./profiles.server.ts";
import { authorsOf, canonicalText, sha256 } from "./frozen-records.server.ts";
import { parseInput } from "./validation.server.ts";

export type { RegistrationSummaryView, RegistrationView };

function invalid(field: string, message: string): never {
  throw validationFailed(`${field}: ${message}`, [{ field, message }]);
}

export async function createRegistration(actor: PublicUser, workspaceId: string, input: unknown): Promise<RegistrationSummaryView> {
  await requireWorkspaceRole(actor.id, workspaceId, "lead");
  const parsed = parseInput(CreateRegistrationInput, input);
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const [protocol] = await tx
      .select({ id: protocols.id, title: protocols.title, body: protocolVersions.body })
      .from(protocols)
      .innerJoin(protocolVersions, and(eq(protocolVersions.protocolId, protocols.id), eq(protocolVersions.version, parsed.protocolVersion)))
      .where(and(eq(protocols.id, parsed.protocolId), eq(protocols.workspaceId, workspaceId)));
    if (!protocol) {
      const exists = (
        await tx
          .select({ id: protocols.id })
          .from(protocols)
          .where(and(eq(protocols.id, parsed.protocolId), eq(protocols.workspaceId, workspaceId)))
      ).length;
      if (!exists) invalid("protocolId", "No protocol with this id in this workspace.");
      invalid("protocolVersion", `The protocol has no version ${parsed.protocolVersion}.`);
    }
    const all = await workspaceProfiles(tx, workspaceId);
    const biomarkers = await workspaceBiomarkers(tx, workspaceId);
    const labelOf = labelLookup(biomarkers);
    const chosen = [...new Set(parsed.profiles)].map((id, i) => {
      const profile = all.find((p) => p.id === id);
      if (!profile) invalid(`profiles.${i}`, "No patient profile with this id in this workspace.");
      return profile;
    });
    const effectModifiers = parsed.effectModifiers.map((code, i): RegisteredEffectModifier => {
      const biomarker = biomarkers.find((b) => b.code === code);
      if (!biomarker) invalid(`effectModifiers.${i}`, `No biomarker “${code}” in this workspace's panels.`);
      return { code: biomarker.code, label: biomarker.label, unit: biomarker.unit };
    });
    const authors = await authorsOf(tx, workspaceId, parsed.authors.length ? parsed.authors : [actor.id]);
    const [workspace] = await tx
      .select({ id: workspaces.id, name: workspaces.name })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    const [last] = await tx
      .select({ number: registrations.number })
      .from(registrations)
      .where(eq(registrations.workspaceId, workspaceId))
      .orderBy(desc(registrations.number))
      .limit(1);
    const number = (last?.number ?? 0) + 1;
    // Kept to the millisecond both engines store, so the row's time and the content's agree.
    const createdAt = new Date();
    const content: RegistrationContent = {
      format: REGISTRATION_FORMAT,
      metadata: {
        title: parsed.title,
        number,
        authors,
        createdAt: createdAt.toISOString(),
        createdBy: actor.name,
        workspace: { id: workspace.id, name: workspace.name },
      },
      protocol: { id: protocol.id, title: protocol.title, version: parsed.protocolVersion, bodySha256: sha256(protocol.body) },
      profiles: chosen.map((p) => ({
        id: p.id,
        name: p.name,
        version: p.version,
        description: p.description,
        text: describeCriteria(p.criteria, labelOf),
        criteria: p.criteria,
      })),
      options: { outcome: parsed.outcome, measure: parsed.measure, method: parsed.method, knha: parsed.knha },
      plan: parsed.plan,
      // Left out when none are named, so a registration without them is hashed exactly as before they existed.
      ...(effectModifiers.length ? { effectModifiers } : {}),
    };
    const text = canonicalText(content);
    const row = {
      id: newId(),
      workspaceId,
      number,
      title: parsed.title,
      content: text,
      hash: sha256(text),
      createdBy: actor.id,
      createdAt,
    };
    await tx.insert(registrations).values(row);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "registration.created",
      target: { type: "registration", id: row.id },
      payload: { title: row.title, number, hash: row.hash, protocolVersion: parsed.protocolVersion, profiles: chosen.length },
    });
    return summaryOf({ ...row, creatorName: actor.name }, content);
  });
}

type LoadedRow = {
  id: string;
  workspaceId: string;
  number: number;
  title: string;
  hash: string;
  createdBy: string;
  createdAt: Date;
  creatorName: string;
};

function summaryOf(row: LoadedRow, content: RegistrationContent): RegistrationSummaryView {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    number: row.number,
    title: row.title,
    hash: row.hash,
    createdAt: row.createdAt,
    createdBy: { id: row.createdBy, name: row.creatorName },
    outcome: content.options.outcome,
    protocol: { id: content.protocol.id, title: content.protocol.title, version: content.protocol.version },
    profiles: content.profiles.map((p) => ({ id: p.id, name: p.name, version: p.version })),
    effectModifiers: (content.effectModifiers ?? []).map((m) => m.code),
  };
}

const columns = {
  id: registrations.id,
  workspaceId: registrations.workspaceId,
  number: registrations.number,
  title: registrations.title,
  hash: registrations.hash,
  content: registrations.content,
  createdBy: registrations.createdBy,
  createdAt: registrations.createdAt,
  creatorName: users.name,
};

/** Every registration of the workspace with its content, oldest first (a workspace keeps a handful). */
async function loadAll(db: Reader, workspaceId: string) {
  const rows = await db
    .select(columns)
    .from(registrations)
    .innerJoin(users, eq(users.id, registrations.createdBy))
    .where(eq(registrations.workspaceId, workspaceId))
    .orderBy(asc(registrations.number));
  return rows.map(({ content, ...row }) => ({ row, content: JSON.parse(content) as RegistrationContent }));
}

/** The workspace's registrations, newest first. */
export async function listRegistrations(actor: PublicUser, workspaceId: string): Promise<RegistrationSummaryView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return (await loadAll(getDb(), workspaceId)).map(({ row, content }) => summaryOf(row, content)).reverse();
}

/** A registration as it was frozen. */
export async function getRegistration(actor: PublicUser, workspaceId: string, registrationId: string): Promise<RegistrationView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const [found] = await getDb()
    .select(columns)
    .from(registrations)
    .innerJoin(users, eq(users.id, registrations.createdBy))
    .where(and(eq(registrations.id, registrationId), eq(registrations.workspaceId, workspaceId)));
  if (!found) throw notFound("No registration with this id in this workspace.");
  const { content: text, ...row } = found;
  const content = JSON.parse(text) as RegistrationContent;
  return { ...summaryOf(row, content), content };
}

/** What the "Pre-register" form offers: protocol versions, profiles (as they are now) and the outcomes studies name. */
export async function registrationChoices(actor: PublicUser, workspaceId: string) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const protocolRows = await db
    .select({ id: protocols.id, title: protocols.title, version: protocolVersions.version })
    .from(protocols)
    .innerJoin(protocolVersions, eq(protocolVersions.protocolId, protocols.id))
    .where(eq(protocols.workspaceId, workspaceId))
    .orderBy(asc(protocols.title), desc(protocolVersions.version));
  const labelOf = labelLookup(await workspaceBiomarkers(db, workspaceId));
  const outcomeRows = await db
    .selectDistinct({ name: studyOutcomes.name, kind: studyOutcomes.kind })
    .from(studyOutcomes)
    .innerJoin(studies, eq(studies.id, studyOutcomes.studyId))
    .where(eq(studies.workspaceId, workspaceId))
    .orderBy(asc(studyOutcomes.name));
  return {
    protocolVersions: protocolRows,
    profiles: (await workspaceProfiles(db, workspaceId)).map((p) => ({
      id: p.id,
      name: p.name,
      version: p.version,
      text: describeCriteria(p.criteria, labelOf),
    })),
    outcomes: outcomeRows,
    biomarkers: (await workspaceBiomarkers(db, workspaceId)).map((b) => ({ code: b.code, label: b.label, unit: b.unit })),
  };
}

/** What feeds an analysis: a dataset version, a result, site summaries (ids), as comparison inputs and trials name them. */
export type DataFeed = Pick<ComparisonInput, "datasetId" | "resultId" | "siteSummaryIds">;

/**
 * When the data behind each input first entered the workspace: a dataset from
 * its first ready version (a re-import does not make old data new), a result
 * from its creation (mapping it to a profile later does not either), a site's
 * summaries from their first upload.
 */
async function firstSeen(db: Reader, workspaceId: string, inputs: DataFeed[]) {
  const datasetIds = [...new Set(inputs.flatMap((i) => (i.datasetId ? [i.datasetId] : [])))];
  const resultIds = [...new Set(inputs.flatMap((i) => (i.resultId ? [i.resultId] : [])))];
  const siteIds = [...new Set(inputs.flatMap((i) => i.siteSummaryIds ?? []))];
  const at = new Map<string, number>();
  if (datasetIds.length) {
    const versions = await db
      .select({ id: datasets.id, studyId: datasets.studyId, name: datasets.name, createdAt: datasets.createdAt })
      .from(datasets)
      .where(and(eq(datasets.workspaceId, workspaceId), eq(datasets.status, "ready")));
    for (const id of datasetIds) {
      const d = versions.find((v) => v.id === id);
      if (!d) continue;
      const lineage = versions.filter((v) => v.studyId === d.studyId && v.name === d.name).map((v) => v.createdAt.getTime());
      at.set(`dataset:${id}`, Math.min(...lineage));
    }
  }
  if (resultIds.length) {
    for (const r of await db.select({ id: results.id, createdAt: results.createdAt }).from(results).where(inArray(results.id, resultIds)))
      at.set(`result:${r.id}`, r.createdAt.getTime());
  }
  if (siteIds.length) {
    const sites = await db
      .select({ id: siteSummaries.id, studyId: siteSummaries.studyId, site: siteSummaries.site, createdAt: siteSummaries.createdAt })
      .from(siteSummaries)
      .where(eq(siteSummaries.workspaceId, workspaceId));
    for (const id of siteIds) {
      const s = sites.find((v) => v.id === id);
      if (!s) continue;
      at.set(
        `site:${id}`,
        Math.min(...sites.filter((v) => v.studyId === s.studyId && v.site === s.site).map((v) => v.createdAt.getTime())),
      );
    }
  }
  return (input: DataFeed) => {
    const times = [
      input.datasetId ? at.get(`dataset:${input.datasetId}`) : undefined,
      input.resultId ? at.get(`result:${input.resultId}`) : undefined,
      ...(input.siteSummaryIds ?? []).map((id) => at.get(`site:${id}`)),
    ].filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : null;
  };
}

/** The workspace's registrations as the marking rules read them. */
async function registrationRefs(db: Reader, workspaceId: string): Promise<RegistrationRef[]> {
  return (await loadAll(db, workspaceId)).map(({ row, content }) => ({
    id: row.id,
    number: row.number,
    title: row.title,
    hash: row.hash,
    createdAt: row.createdAt.toISOString(),
    outcome: content.options.outcome,
    profiles: content.profiles,
    effectModifiers: (content.effectModifiers ?? []).map((m) => m.code),
  }));
}

/** The earliest first arrival among the feeds, or null when none has arrived. */
function earliest(seen: (feed: DataFeed) => number | null, feeds: DataFeed[]): string | null {
  const times = feeds.map(seen).filter((t): t is number => t !== null);
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}

/**
 * Each biomarker of an effect-modification analysis (or each column of its
 * matrix) marked pre-specified or exploratory against the workspace's
 * registrations (app/domain/registrations.ts), with the comparison's rule of
 * "first data": every trial feeding it counts, excluded or unfitted ones too.
 * Null when the workspace has no registration.
 */
export async function effectModifierMarks(
  db: Reader,
  workspaceId: string,
  analysis: { outcome: string | null; biomarkers: { code: string; feeds: DataFeed[] }[] },
): Promise<Map<string, EffectModifierMark> | null> {
  const registrations = await registrationRefs(db, workspaceId);
  if (!registrations.length) return null;
  const seen = await firstSeen(
    db,
    workspaceId,
    analysis.biomarkers.flatMap((b) => b.feeds),
  );
  const marks = new Map<string, EffectModifierMark>();
  for (const { code, feeds } of analysis.biomarkers) {
    const mark = markEffectModifier({ outcome: analysis.outcome, biomarker: code, registrations, firstDataAt: earliest(seen, feeds) });
    if (mark) marks.set(code, mark);
  }
  return marks;
}

/**
 * Each profile of an analysis marked against the workspace's registrations
 * (app/domain/registrations.ts); null when the workspace has none. Every
 * input that feeds a profile's column counts, the set-aside ones too: their
 * numbers were there to be seen.
 */
export async function registrationMarks(
  db: Reader,
  workspaceId: string,
  analysis: { outcome: string | null; profileIds: string[]; inputs: ComparisonInput[] },
): Promise<Map<string, ProfileRegistrationMark> | null> {
  const refs = await registrationRefs(db, workspaceId);
  if (!refs.length) return null;
  const seen = await firstSeen(db, workspaceId, analysis.inputs);
  const firstDataAt = new Map<string, string | null>();
  for (const id of analysis.profileIds)
    firstDataAt.set(
      id,
      earliest(
        seen,
        analysis.inputs.filter((i) => i.profileId === id),
      ),
    );
  const profiles = (await workspaceProfiles(db, workspaceId)).filter((p) => analysis.profileIds.includes(p.id));
  const marks = markProfiles({ outcome: analysis.outcome, profiles, registrations: refs, firstDataAt });
  return marks && new Map(marks.map((m) => [m.profileId, m]));
}
