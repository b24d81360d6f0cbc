/**
 * Biomarker panels: the workspace's data dictionary. Every change bumps the
 * panel's version and stores a snapshot in panel_versions, so earlier
 * definitions stay visible. Biomarker edits live in panel-biomarkers.server.ts,
 * the CSV data dictionary in panel-dictionary.server.ts.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { getDb, type Reader, type Transaction } from "#db/client.ts";
import { panelBiomarkers, panels, panelVersions, users, type Panel, type PanelBiomarker } from "#db/schema.ts";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import type { PanelChange } from "#app/domain/events.ts";
import { CreatePanelInput, PanelVersionsQuery, UpdatePanelInput } from "#app/schemas/panels.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { panelJson, type PanelVersionEntry, type PanelVersionSnapshot, type PanelView } from "#app/public-shapes/panels.ts";
import { newId } from "./crypto.server.ts";
import { notFound } from "./errors.server.ts";
import { writeTransaction, type Writer } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";
import { rejectStaleEdit, versionHistoryPage } from "./versions.server.ts";

export type { PanelVersionEntry, PanelVersionSnapshot, PanelView };

export async function createPanel(actor: PublicUser, workspaceId: string, input: unknown): Promise<PanelView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(CreatePanelInput, input);
    const now = new Date();
    const panel = {
      id: newId(),
      workspaceId,
      name: data.name,
      description: data.description,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(panels).values(panel);
    const biomarkers = (data.fromDefault ? DEFAULT_BIOMARKERS : []).map((b, position) => ({
      ...b,
      id: newId(),
      panelId: panel.id,
      position,
    }));
    if (biomarkers.length) await tx.insert(panelBiomarkers).values(biomarkers);
    const view = { ...panel, biomarkers };
    await saveSnapshot(tx, view, actor.id, data.fromDefault ? "Started from the default panel" : "Created");
    await record({
      workspaceId,
      actorId: actor.id,
      type: "panel.created",
      target: { type: "panel", id: panel.id },
      payload: { name: panel.name, version: 1, biomarkers: biomarkers.length, fromDefault: data.fromDefault },
    });
    return view;
  });
}

export async function listPanels(actor: PublicUser, workspaceId: string): Promise<(Panel & { biomarkerCount: number })[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const counts = new Map(
    (
      await db
        .select({ panelId: panelBiomarkers.panelId, n: count() })
        .from(panelBiomarkers)
        .innerJoin(panels, eq(panels.id, panelBiomarkers.panelId))
        .where(eq(panels.workspaceId, workspaceId))
        .groupBy(panelBiomarkers.panelId)
    ).map((row) => [row.panelId, row.n]),
  );
  return (await db.select().from(panels).where(eq(panels.workspaceId, workspaceId)).orderBy(asc(panels.name))).map((p) => ({
    ...p,
    biomarkerCount: counts.get(p.id) ?? 0,
  }));
}

export async function getPanel(actor: PublicUser, workspaceId: string, panelId: string): Promise<PanelView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadPanel(getDb(), workspaceId, panelId);
}

/** A panel with its biomarkers in order; 404 when it is not in this workspace. */
export async function loadPanel(db: Reader, workspaceId: string, panelId: string): Promise<PanelView> {
  const panel = (await db.select().from(panels).where(eq(panels.id, panelId)))[0];
  if (!panel || panel.workspaceId !== workspaceId) throw notFound("No biomarker panel with this id in this workspace.");
  const biomarkers = await db
    .select()
    .from(panelBiomarkers)
    .where(eq(panelBiomarkers.panelId, panelId))
    .orderBy(asc(panelBiomarkers.position));
  return { ...panel, biomarkers };
}

/** Refuses an edit based on an earlier version (409), with the panel as it now is. */
export async function requireCurrentVersion(view: PanelView, baseVersion: number): Promise<void> {
  await rejectStaleEdit(baseVersion, view.version, {
    what: "panel",
    message: `This panel has changed since you opened it: it is now at version ${view.version}, and your change was based on version ${baseVersion}. Nothing was saved; look at the current panel and make your change again.`,
    detail: `The panel is at version ${view.version}.`,
    current: () => panelJson(view),
  });
}

/**
 * After the caller has written its change: bumps the version, stores the
 * snapshot and answers the panel as it now is.
 */
export async function commitPanelChange(tx: Transaction, before: PanelView, actor: PublicUser, note: string): Promise<PanelView> {
  await tx
    .update(panels)
    .set({ version: before.version + 1, updatedAt: new Date() })
    .where(eq(panels.id, before.id));
  const after = await loadPanel(tx, before.workspaceId, before.id);
  await saveSnapshot(tx, after, actor.id, note);
  return after;
}

/** Records the panel as it now is under its current version number. */
export async function saveSnapshot(tx: Transaction, view: PanelView, authorId: string, note: string | null): Promise<void> {
  const { biomarkers, ...panel } = view;
  await tx.insert(panelVersions).values({
    id: newId(),
    panelId: panel.id,
    version: panel.version,
    snapshot: { name: panel.name, description: panel.description, biomarkers: biomarkers.map(({ panelId: _, ...b }) => b) },
    note,
    authorId,
    createdAt: new Date(),
  });
}

export async function updatePanel(actor: PublicUser, workspaceId: string, panelId: string, input: unknown): Promise<PanelView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadPanel(tx, workspaceId, panelId);
    const data = parseInput(UpdatePanelInput, input);
    await requireCurrentVersion(before, data.baseVersion);
    const changes: Partial<Record<"name" | "description", string>> = {};
    if (data.name !== undefined && data.name !== before.name) changes.name = data.name;
    if (data.description !== undefined && data.description !== before.description) changes.description = data.description;
    const fields = Object.keys(changes) as ("name" | "description")[];
    if (fields.length === 0) return before;
    await tx.update(panels).set(changes).where(eq(panels.id, panelId));
    const after = await commitPanelChange(
      tx,
      before,
      actor,
      fields.includes("name") ? `Renamed to “${changes.name}”` : "Changed the description",
    );
    await recordPanelUpdate(record, actor, after, {
      change: "details",
      before: Object.fromEntries(fields.map((f) => [f, before[f]])),
      after: changes,
    });
    return after;
  });
}

/** One panel.updated event: what changed, with before/after, and the new version. */
export async function recordPanelUpdate(record: Writer["record"], actor: PublicUser, after: PanelView, payload: PanelChange) {
  await record({
    workspaceId: after.workspaceId,
    actorId: actor.id,
    type: "panel.updated",
    target: { type: "panel", id: after.id },
    payload: { panel: after.name, version: after.version, ...payload },
  });
}

/** The panel's history, newest first, a page at a time (the cursor is the last version listed). */
export async function listPanelVersions(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
  query: unknown = {},
): Promise<{ items: PanelVersionEntry[]; nextCursor: string | null }> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { cursor, limit } = parseInput(PanelVersionsQuery, query);
  const db = getDb();
  await loadPanel(db, workspaceId, panelId);
  return await versionHistoryPage(db, "panel", panelId, { before: cursor ? Number(cursor) : undefined, limit });
}

/** The panel as it was at one version. */
export async function getPanelVersion(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
  version: string,
): Promise<PanelVersionSnapshot> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  await loadPanel(db, workspaceId, panelId);
  const number = /^\d+$/.test(version) ? Number(version) : NaN;
  const row = (
    await db
      .select()
      .from(panelVersions)
      .innerJoin(users, eq(users.id, panelVersions.authorId))
      .where(and(eq(panelVersions.panelId, panelId), eq(panelVersions.version, number)))
  )[0];
  if (!row) throw notFound(`This panel has no version ${version}.`);
  const snapshot = row.panel_versions.snapshot as { name: string; description: string; biomarkers: Omit<PanelBiomarker, "panelId">[] };
  return {
    panelId,
    version: row.panel_versions.version,
    note: row.panel_versions.note,
    author: { id: row.users.id, name: row.users.name },
    createdAt: row.panel_versions.createdAt,
    name: snapshot.name,
    description: snapshot.description,
    biomarkers: snapshot.biomarkers,
  };
}
