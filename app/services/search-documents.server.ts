/**
 * What search finds of each thing: its entries (title, text, page) read from the
 * database, by source. A source is what one change re-indexes as a whole: a
 * protocol, a comment, a study (with its datasets), a panel (its biomarkers), a
 * profile, a goal (with its milestones). Reading here never checks permission:
 * it runs inside the writer's transaction or during a rebuild, and the entries
 * carry their workspace, which every search filters on.
 */
import { and, asc, desc, eq } from "drizzle-orm";
import type { EventType } from "#app/domain/events.ts";
import { getDb, type Reader } from "#db/client.ts";
import {
  comments,
  datasets,
  goalMilestones,
  goals,
  panelBiomarkers,
  panels,
  profiles,
  protocolDrafts,
  protocols,
  protocolVersions,
  results,
  studies,
  studyArms,
} from "#db/schema.ts";
import type { SearchEntry, SearchSource } from "#db/search-index.ts";
import { describeCriteria } from "#app/domain/profiles.ts";
import { commentAnchor } from "#app/domain/search-text.ts";
import { liveDraftText } from "./protocol-draft-store.server.ts";

const workspacePath = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`;
const pagePath = (workspaceId: string, section: string, id: string) => `${workspacePath(workspaceId)}/${section}/${encodeURIComponent(id)}`;

const lines = (...parts: (string | null | undefined)[]) => parts.filter((p) => p?.trim()).join("\n");

/** The source of a protocol's live draft: indexed apart from its saved text, on its own schedule (draft-search.server.ts). */
export const PROTOCOL_DRAFT_SOURCE = "protocol-draft";

/**
 * The searchable texts of a protocol: the latest version's text, and the live
 * draft's where one exists and differs from it (a draft nobody has changed
 * since the version would only repeat it). The one place that says so.
 */
export function protocolSearchText(
  protocol: { title: string },
  latestBody: string,
  draftText: string | null,
): { saved: { title: string; body: string }; draft: { title: string; body: string } | null } {
  return {
    saved: { title: protocol.title, body: latestBody },
    draft: draftText === null || draftText === latestBody ? null : { title: protocol.title, body: draftText },
  };
}

async function latestVersionBody(db: Reader, protocolId: string): Promise<string> {
  const [latest] = await db
    .select({ body: protocolVersions.body })
    .from(protocolVersions)
    .where(eq(protocolVersions.protocolId, protocolId))
    .orderBy(desc(protocolVersions.version))
    .limit(1);
  return latest?.body ?? "";
}

async function protocolEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [row] = await db.select().from(protocols).where(eq(protocols.id, id));
  if (!row) return [];
  const { saved } = protocolSearchText(row, await latestVersionBody(db, id), null);
  return [
    { workspaceId: row.workspaceId, kind: "protocol", itemId: row.id, ...saved, link: pagePath(row.workspaceId, "protocols", row.id) },
  ];
}

/** The live draft's entry, linking to the page where it is written; none while it equals the latest version. */
async function protocolDraftEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [row] = await db.select().from(protocols).where(eq(protocols.id, id));
  if (!row) return [];
  const draftText = await liveDraftText(db, id);
  if (draftText === null) return [];
  const { draft } = protocolSearchText(row, await latestVersionBody(db, id), draftText);
  if (!draft) return [];
  const link = `${pagePath(row.workspaceId, "protocols", row.id)}/edit`;
  return [{ workspaceId: row.workspaceId, kind: "protocol", itemId: row.id, ...draft, link }];
}

/** The page a comment's target lives on. */
async function commentTargetPath(db: Reader, c: typeof comments.$inferSelect): Promise<string> {
  switch (c.targetType) {
    case "protocol":
      return pagePath(c.workspaceId, "protocols", c.targetId);
    case "panel":
      return pagePath(c.workspaceId, "panels", c.targetId);
    case "study":
      return pagePath(c.workspaceId, "studies", c.targetId);
    case "dataset":
      return pagePath(c.workspaceId, "datasets", c.targetId);
    case "goal":
      return pagePath(c.workspaceId, "goals", c.targetId);
    case "result": {
      // A result is discussed on its study's page.
      const [result] = await db.select({ studyId: results.studyId }).from(results).where(eq(results.id, c.targetId));
      return result ? pagePath(c.workspaceId, "studies", result.studyId) : `${workspacePath(c.workspaceId)}/comparison`;
    }
  }
}

async function commentEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id));
  if (!row || row.deletedAt) return [];
  const title = row.body.split("\n")[0].slice(0, 80);
  const link = `${await commentTargetPath(db, row)}#${commentAnchor(row.id)}`;
  return [{ workspaceId: row.workspaceId, kind: "comment", itemId: row.id, title, body: row.body, link }];
}

async function studyEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [row] = await db.select().from(studies).where(eq(studies.id, id));
  if (!row) return [];
  const arms = await db.select({ name: studyArms.name }).from(studyArms).where(eq(studyArms.studyId, id)).orderBy(asc(studyArms.position));
  const study: SearchEntry = {
    workspaceId: row.workspaceId,
    kind: "study",
    itemId: row.id,
    title: row.title,
    body: lines(row.population, arms.map((a) => a.name).join(", "), row.registryId),
    link: pagePath(row.workspaceId, "studies", row.id),
  };
  // Only the newest ready version of each of the study's datasets: older versions would repeat it.
  const versions = await db
    .select({ id: datasets.id, name: datasets.name, version: datasets.version, columns: datasets.columns })
    .from(datasets)
    .where(and(eq(datasets.studyId, id), eq(datasets.status, "ready")))
    .orderBy(asc(datasets.name), desc(datasets.version));
  const newest = versions.filter((d, i) => i === 0 || versions[i - 1].name !== d.name);
  const dataSets: SearchEntry[] = newest.map((d) => ({
    workspaceId: row.workspaceId,
    kind: "dataset",
    itemId: d.id,
    title: d.name,
    // One column name a line: a match is traced back to its column for the link.
    body: d.columns.map((c) => c.name).join("\n"),
    link: pagePath(row.workspaceId, "datasets", d.id),
  }));
  return [study, ...dataSets];
}

async function panelEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [panel] = await db.select().from(panels).where(eq(panels.id, id));
  if (!panel) return [];
  const biomarkers = await db.select().from(panelBiomarkers).where(eq(panelBiomarkers.panelId, id)).orderBy(asc(panelBiomarkers.position));
  return biomarkers.map((b) => ({
    workspaceId: panel.workspaceId,
    kind: "biomarker",
    itemId: b.id,
    title: b.label === b.code ? b.label : `${b.label} (${b.code})`,
    body: lines(
      b.description,
      // The categories' labels were found through the description before they had a column; they still are.
      b.categories.length ? `Categories: ${b.categories.map((c) => c.label).join(", ")}` : null,
      b.aliases.join(", "),
      b.unit,
      b.specimen,
      b.loinc,
      `Panel: ${panel.name}`,
    ),
    link: pagePath(panel.workspaceId, "panels", panel.id),
  }));
}

async function profileEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [row] = await db.select().from(profiles).where(eq(profiles.id, id));
  if (!row) return [];
  return [
    {
      workspaceId: row.workspaceId,
      kind: "profile",
      itemId: row.id,
      title: row.name,
      body: lines(row.description, describeCriteria(row.criteria)),
      link: pagePath(row.workspaceId, "profiles", row.id),
    },
  ];
}

async function goalEntries(db: Reader, id: string): Promise<SearchEntry[]> {
  const [row] = await db.select().from(goals).where(eq(goals.id, id));
  if (!row) return [];
  const milestones = await db
    .select({ title: goalMilestones.title })
    .from(goalMilestones)
    .where(eq(goalMilestones.goalId, id))
    .orderBy(asc(goalMilestones.position));
  return [
    {
      workspaceId: row.workspaceId,
      kind: "goal",
      itemId: row.id,
      title: row.title,
      body: lines(row.description, ...milestones.map((m) => m.title)),
      link: pagePath(row.workspaceId, "goals", row.id),
    },
  ];
}

const READERS: Record<string, (db: Reader, id: string) => Promise<SearchEntry[]>> = {
  protocol: protocolEntries,
  [PROTOCOL_DRAFT_SOURCE]: protocolDraftEntries,
  comment: commentEntries,
  study: studyEntries,
  panel: panelEntries,
  profile: profileEntries,
  goal: goalEntries,
};

/** The entries of one source as the database holds it now (none when it is gone). */
export function entriesOf(source: SearchSource, db: Reader = getDb()): Promise<SearchEntry[]> {
  const read = READERS[source.type as keyof typeof READERS];
  return read ? read(db, source.id) : Promise.resolve([]);
}

/**
 * The sources an event changes, from its type and target; none for targets
 * search does not show. A dataset is indexed with its study. A protocol's
 * event changes its saved text and its draft (a new version, a new title),
 * except the start of someone's spell of typing: that is answered while the
 * typist waits, and the draft's entry follows typing on its own schedule.
 */
export async function sourcesOfEvent(
  event: { type: EventType; target: { type: string; id: string } },
  db: Reader = getDb(),
): Promise<SearchSource[]> {
  const { target } = event;
  if (target.type === "dataset") {
    const [row] = await db.select({ studyId: datasets.studyId }).from(datasets).where(eq(datasets.id, target.id));
    return row ? [{ type: "study", id: row.studyId }] : [];
  }
  if (target.type === "protocol") {
    if (event.type === "protocol.draft_edited") return [];
    return [
      { type: "protocol", id: target.id },
      { type: PROTOCOL_DRAFT_SOURCE, id: target.id },
    ];
  }
  return Object.hasOwn(READERS, target.type) ? [{ type: target.type, id: target.id }] : [];
}

/** Every source of the database, for a rebuild. */
export async function allSources(db: Reader = getDb()): Promise<SearchSource[]> {
  const ids = async (type: SearchSource["type"], rows: Promise<{ id: string }[]>) => (await rows).map((r) => ({ type, id: r.id }));
  return [
    ...(await ids("protocol", db.select({ id: protocols.id }).from(protocols))),
    ...(await ids(PROTOCOL_DRAFT_SOURCE, db.select({ id: protocolDrafts.protocolId }).from(protocolDrafts))),
    ...(await ids("comment", db.select({ id: comments.id }).from(comments))),
    ...(await ids("study", db.select({ id: studies.id }).from(studies))),
    ...(await ids("panel", db.select({ id: panels.id }).from(panels))),
    ...(await ids("profile", db.select({ id: profiles.id }).from(profiles))),
    ...(await ids("goal", db.select({ id: goals.id }).from(goals))),
  ];
}
