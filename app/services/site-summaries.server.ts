/**
 * Site summaries back in the app: a contributor uploads the site-summary.json
 * a partner made with consilience-site.mjs; it is checked against the study it
 * names (its arms, outcomes and the workspace's profiles), stored as a new
 * version of that site's summary, and recorded as an event. The newest
 * version of each site's summary then feeds the comparison (per-arm summaries
 * by profile) and the effect-modification view (the site's interactions).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Reader } from "#db/client.ts";
import { getDb } from "#db/client.ts";
import { panels, profiles, siteSummaries, type SiteSummaryRow, users } from "#db/schema.ts";
import type { SiteSummary } from "#app/domain/site-summary-format.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { SiteSummaryView } from "#app/public-shapes/site-summaries.ts";
import { UploadSiteSummaryInput } from "#app/schemas/site-summaries.ts";
import { newId } from "./crypto.server.ts";
import { validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { loadStudy } from "./studies.server.ts";
import { parseInput } from "./validation.server.ts";

export type { SiteSummaryView };

function invalid(field: string, message: string): never {
  throw validationFailed(`${field}: ${message}`, [{ field, message }]);
}

/** Every id the summary names must be the study's, or a profile of the workspace: a summary made for another study is refused whole. */
function checkAgainstStudy(
  summary: SiteSummary,
  workspaceId: string,
  study: Awaited<ReturnType<typeof loadStudy>>,
  profileIds: Set<string>,
) {
  if (summary.kit.workspaceId !== workspaceId)
    invalid("summary.kit.workspaceId", "This summary was made with another workspace's site kit.");
  if (summary.kit.studyId !== study.id)
    invalid("summary.kit.studyId", `This summary was made with the site kit of another study, not “${study.title}”.`);
  const arms = new Set(study.arms.map((a) => a.id));
  const outcomes = new Set(study.outcomes.map((o) => o.id));
  const outcomeOf = new Map(study.outcomes.map((o) => [o.id, o]));
  summary.profiles.forEach((profile, p) => {
    if (!profileIds.has(profile.profileId))
      invalid(`summary.profiles.${p}.profileId`, `No patient profile “${profile.name}” in this workspace.`);
    profile.arms.forEach((arm, a) => {
      if (!arms.has(arm.armId)) invalid(`summary.profiles.${p}.arms.${a}.armId`, `“${arm.arm}” is not an arm of the study.`);
      for (const [outcomeId, cell] of Object.entries(arm.outcomes)) {
        const outcome = outcomeOf.get(outcomeId);
        if (!outcome) invalid(`summary.profiles.${p}.arms.${a}.outcomes`, "An outcome of this summary is not an outcome of the study.");
        // A cell of the other kind would be merged and pooled as if it were this kind: events read as means, or left out of a mean.
        if ("mean" in cell !== (outcome.kind === "continuous"))
          invalid(
            `summary.profiles.${p}.arms.${a}.outcomes.${outcomeId}`,
            `“${outcome.name}” is ${outcome.kind}: give ${outcome.kind === "continuous" ? "n, mean and sd" : "n and events"}.`,
          );
      }
    });
  });
  summary.interactions.forEach((interaction, i) => {
    if (!arms.has(interaction.intervention) || !arms.has(interaction.comparator))
      invalid(`summary.interactions.${i}`, "An arm of this interaction is not an arm of the study.");
    if (!outcomes.has(interaction.outcomeId))
      invalid(`summary.interactions.${i}.outcomeId`, "This outcome is not an outcome of the study.");
  });
}

export async function uploadSiteSummary(actor: PublicUser, workspaceId: string, studyId: string, input: unknown): Promise<SiteSummaryView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const study = await loadStudy(tx, workspaceId, studyId);
    const { site, summary } = parseInput(UploadSiteSummaryInput, input);
    const profileIds = new Set(
      (await tx.select({ id: profiles.id }).from(profiles).where(eq(profiles.workspaceId, workspaceId))).map((p) => p.id),
    );
    checkAgainstStudy(summary, workspaceId, study, profileIds);
    const previous = await tx
      .select({ version: siteSummaries.version })
      .from(siteSummaries)
      .where(and(eq(siteSummaries.studyId, studyId), eq(siteSummaries.site, site)))
      .orderBy(desc(siteSummaries.version))
      .limit(1);
    const row = {
      id: newId(),
      workspaceId,
      studyId,
      site,
      version: (previous[0]?.version ?? 0) + 1,
      content: summary,
      uploadedBy: actor.id,
      createdAt: new Date(),
    };
    await tx.insert(siteSummaries).values(row);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "site_summary.uploaded",
      target: { type: "study", id: studyId },
      payload: {
        studyId,
        study: study.title,
        site,
        version: row.version,
        rows: summary.source.rows,
        profiles: summary.profiles.length,
        interactions: summary.interactions.length,
        withheld: summary.withheld.length,
      },
    });
    return (await viewsOf(tx, workspaceId, study, [row]))[0];
  });
}

/** Every version of every site's summary of the study, newest first. */
export async function listSiteSummaries(actor: PublicUser, workspaceId: string, studyId: string): Promise<SiteSummaryView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const study = await loadStudy(db, workspaceId, studyId);
  const rows = await db
    .select()
    .from(siteSummaries)
    .where(eq(siteSummaries.studyId, studyId))
    .orderBy(siteSummaries.site, desc(siteSummaries.version));
  return await viewsOf(db, workspaceId, study, rows);
}

/**
 * The newest summary of each site, per study, for the comparison and the
 * effect-modification view. Only the newest versions' contents are read:
 * this runs on every comparison.
 */
export async function latestSiteSummaries(db: Reader, workspaceId: string): Promise<SiteSummaryRow[]> {
  const versions = await db
    .select({ id: siteSummaries.id, studyId: siteSummaries.studyId, site: siteSummaries.site })
    .from(siteSummaries)
    .where(eq(siteSummaries.workspaceId, workspaceId))
    .orderBy(desc(siteSummaries.version));
  const newest = new Map<string, string>();
  for (const v of versions) if (!newest.has(`${v.studyId}|${v.site}`)) newest.set(`${v.studyId}|${v.site}`, v.id);
  return newest.size
    ? await db
        .select()
        .from(siteSummaries)
        .where(inArray(siteSummaries.id, [...newest.values()]))
    : [];
}

type Study = Awaited<ReturnType<typeof loadStudy>>;

/** The versions a summary's kit is compared with: the study's, its panel's and the workspace's profiles'. */
async function currentVersions(db: Reader, workspaceId: string, study: Study) {
  const panel = study.panelId
    ? (await db.select({ version: panels.version }).from(panels).where(eq(panels.id, study.panelId)))[0]
    : undefined;
  const profileRows = await db
    .select({ id: profiles.id, name: profiles.name, version: profiles.version })
    .from(profiles)
    .where(eq(profiles.workspaceId, workspaceId));
  return { study: study.version, panel: panel?.version ?? null, profiles: new Map(profileRows.map((p) => [p.id, p])) };
}

/** What changed in the workspace since the site's kit was made: the numbers may no longer mean what the profiles now say. */
function stalenessOf(summary: SiteSummary, now: Awaited<ReturnType<typeof currentVersions>>): string[] {
  const stale: string[] = [];
  if (summary.kit.studyVersion !== now.study)
    stale.push(`the study was edited (kit from version ${summary.kit.studyVersion}, now ${now.study})`);
  if (now.panel !== null && summary.kit.panelVersion !== now.panel)
    stale.push(`the panel changed (kit from version ${summary.kit.panelVersion ?? "none"}, now ${now.panel})`);
  for (const then of summary.kit.profiles) {
    const profile = now.profiles.get(then.id);
    if (profile && then.version !== profile.version)
      stale.push(`the profile “${profile.name}” was edited (kit from version ${then.version}, now ${profile.version})`);
  }
  return stale;
}

/** The summaries of one study as the API shows them, with the versions they are compared with read once. */
async function viewsOf(db: Reader, workspaceId: string, study: Study, rows: SiteSummaryRow[]): Promise<SiteSummaryView[]> {
  const uploaderIds = [...new Set(rows.map((r) => r.uploadedBy))];
  const names = new Map(
    uploaderIds.length
      ? (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, uploaderIds))).map((u) => [u.id, u.name])
      : [],
  );
  const now = await currentVersions(db, workspaceId, study);
  return rows.map((row) => ({
    id: row.id,
    studyId: row.studyId,
    site: row.site,
    version: row.version,
    uploadedBy: { id: row.uploadedBy, name: names.get(row.uploadedBy) ?? "" },
    createdAt: row.createdAt,
    rows: row.content.source.rows,
    profiles: row.content.profiles.length,
    interactions: row.content.interactions.length,
    withheld: row.content.withheld,
    stale: stalenessOf(row.content, now),
    sourceSha256: row.content.source.sha256,
  }));
}
