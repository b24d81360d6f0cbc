/**
 * Biomarker panels: the workspace's data dictionary. Every change bumps the
 * panel's version and stores a snapshot in panel_versions.
 */
import { asc, desc, eq } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { panelBiomarkers, panels, panelVersions, type Panel, type PanelBiomarker } from "#db/schema.ts";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { CreatePanelInput } from "#app/schemas/panels.ts";
import type { PublicUser } from "./accounts.server.ts";
import { newId } from "./crypto.server.ts";
import { notFound } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export interface PanelView extends Panel {
  biomarkers: PanelBiomarker[];
}

export function createPanel(actor: PublicUser, workspaceId: string, input: unknown): PanelView {
  return writeTransaction(({ tx, record }) => {
    requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
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
    tx.insert(panels).values(panel).run();
    const biomarkers = (data.fromDefault ? DEFAULT_BIOMARKERS : []).map((b, position) => ({
      ...b,
      id: newId(),
      panelId: panel.id,
      position,
    }));
    if (biomarkers.length) tx.insert(panelBiomarkers).values(biomarkers).run();
    const view = { ...panel, biomarkers };
    saveSnapshot(tx, view, actor.id, data.fromDefault ? "Started from the default panel" : null);
    record({
      workspaceId,
      actorId: actor.id,
      type: "panel.created",
      target: { type: "panel", id: panel.id },
      payload: { name: panel.name, biomarkers: biomarkers.length },
    });
    return view;
  });
}

export function listPanels(actor: PublicUser, workspaceId: string): Panel[] {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  return getDb().select().from(panels).where(eq(panels.workspaceId, workspaceId)).orderBy(asc(panels.name)).all();
}

export function getPanel(actor: PublicUser, workspaceId: string, panelId: string): PanelView {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  return loadPanel(getDb(), workspaceId, panelId);
}

/** A panel with its biomarkers in order; 404 when it is not in this workspace. */
export function loadPanel(db: Transaction | ReturnType<typeof getDb>, workspaceId: string, panelId: string): PanelView {
  const panel = db.select().from(panels).where(eq(panels.id, panelId)).get();
  if (!panel || panel.workspaceId !== workspaceId) throw notFound("No biomarker panel with this id in this workspace.");
  const biomarkers = db
    .select()
    .from(panelBiomarkers)
    .where(eq(panelBiomarkers.panelId, panelId))
    .orderBy(asc(panelBiomarkers.position))
    .all();
  return { ...panel, biomarkers };
}

/** Records the panel as it now is under its current version number. */
export function saveSnapshot(tx: Transaction, view: PanelView, authorId: string, note: string | null): void {
  const { biomarkers, ...panel } = view;
  tx.insert(panelVersions)
    .values({
      id: newId(),
      panelId: panel.id,
      version: panel.version,
      snapshot: { name: panel.name, description: panel.description, biomarkers: biomarkers.map(({ panelId: _, ...b }) => b) },
      note,
      authorId,
      createdAt: new Date(),
    })
    .run();
}

export function listPanelVersions(actor: PublicUser, workspaceId: string, panelId: string) {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  loadPanel(getDb(), workspaceId, panelId);
  return getDb()
    .select({ version: panelVersions.version, note: panelVersions.note, authorId: panelVersions.authorId, createdAt: panelVersions.createdAt })
    .from(panelVersions)
    .where(eq(panelVersions.panelId, panelId))
    .orderBy(desc(panelVersions.version))
    .all();
}
