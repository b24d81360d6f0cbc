/**
 * Adding, editing and removing one biomarker of a panel. Each is a change of
 * the panel: it carries the base version, bumps the version, stores a
 * snapshot and records panel.updated with before/after.
 */
import { eq } from "drizzle-orm";
import type { Transaction } from "#db/client.ts";
import { panelBiomarkers, type PanelBiomarker } from "#db/schema.ts";
import { AddBiomarkerInput, BiomarkerInput, BaseVersionInput, type BiomarkerData } from "#app/schemas/panels.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { BiomarkerChange } from "#app/public-shapes/panels.ts";
import { newId } from "./crypto.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { commitPanelChange, loadPanel, recordPanelUpdate, requireCurrentVersion, type PanelView } from "./panels.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export const BIOMARKER_FIELDS = [
  "code",
  "label",
  "loinc",
  "specimen",
  "unit",
  "valueType",
  "categories",
  "plausibleMin",
  "plausibleMax",
  "cutoffs",
  "molarMass",
  "unitConventions",
  "aliases",
  "description",
] as const satisfies readonly (keyof BiomarkerData)[];

export type { BiomarkerChange };

export async function addBiomarker(actor: PublicUser, workspaceId: string, panelId: string, input: unknown): Promise<BiomarkerChange> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadPanel(tx, workspaceId, panelId);
    const { baseVersion, ...data } = parseInput(AddBiomarkerInput, input);
    requireUniqueCode(before, data.code);
    await requireCurrentVersion(before, baseVersion);
    const id = newId();
    const position = before.biomarkers.reduce((max, b) => Math.max(max, b.position + 1), 0);
    await tx.insert(panelBiomarkers).values({ ...data, id, panelId, position });
    const panel = await commitPanelChange(tx, before, actor, `Added ${data.code}`);
    await recordPanelUpdate(record, actor, panel, {
      change: "biomarker_added",
      biomarker: { id, code: data.code },
      before: null,
      after: data,
    });
    return { panel, biomarker: panel.biomarkers.find((b) => b.id === id)! };
  });
}

export async function updateBiomarker(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
  biomarkerId: string,
  input: unknown,
): Promise<BiomarkerChange> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadPanel(tx, workspaceId, panelId);
    const current = findBiomarker(before, biomarkerId);
    const { baseVersion } = parseInput(BaseVersionInput, input);
    // Validate the edit as a whole biomarker: rules across fields (min ≤ max) must hold after a partial edit.
    const given = pickFields(input);
    const data = parseInput(BiomarkerInput, { ...definitionOf(current), ...given });
    if (data.code !== current.code) requireUniqueCode(before, data.code);
    await requireCurrentVersion(before, baseVersion);
    const fields = BIOMARKER_FIELDS.filter((f) => JSON.stringify(data[f]) !== JSON.stringify(current[f]));
    if (fields.length === 0) return { panel: before, biomarker: current };
    await tx.update(panelBiomarkers).set(data).where(eq(panelBiomarkers.id, biomarkerId));
    const panel = await commitPanelChange(tx, before, actor, `Edited ${data.code} (${fields.join(", ")})`);
    await recordPanelUpdate(record, actor, panel, {
      change: "biomarker_updated",
      biomarker: { id: biomarkerId, code: data.code },
      fields,
      before: Object.fromEntries(fields.map((f) => [f, current[f]])),
      after: Object.fromEntries(fields.map((f) => [f, data[f]])),
    });
    return { panel, biomarker: panel.biomarkers.find((b) => b.id === biomarkerId)! };
  });
}

export async function removeBiomarker(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
  biomarkerId: string,
  input: unknown,
): Promise<PanelView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadPanel(tx, workspaceId, panelId);
    const current = findBiomarker(before, biomarkerId);
    const { baseVersion } = parseInput(BaseVersionInput, input);
    await requireCurrentVersion(before, baseVersion);
    await tx.delete(panelBiomarkers).where(eq(panelBiomarkers.id, biomarkerId));
    const panel = await commitPanelChange(tx, before, actor, `Removed ${current.code}`);
    // The whole definition goes into the event, so the audit trail keeps what was removed.
    await recordPanelUpdate(record, actor, panel, {
      change: "biomarker_removed",
      biomarker: { id: biomarkerId, code: current.code },
      before: definitionOf(current),
      after: null,
    });
    return panel;
  });
}

/** A stored biomarker as the fields a definition has (no id, panel or position). */
export function definitionOf(b: PanelBiomarker): BiomarkerData {
  return Object.fromEntries(BIOMARKER_FIELDS.map((f) => [f, b[f]])) as BiomarkerData;
}

export async function writeBiomarker(tx: Transaction, id: string, data: BiomarkerData, position: number) {
  await tx
    .update(panelBiomarkers)
    .set({ ...data, position })
    .where(eq(panelBiomarkers.id, id));
}

function findBiomarker(panel: PanelView, biomarkerId: string): PanelBiomarker {
  const found = panel.biomarkers.find((b) => b.id === biomarkerId);
  if (!found) throw notFound("No biomarker with this id in this panel.");
  return found;
}

function requireUniqueCode(panel: PanelView, code: string) {
  const taken = panel.biomarkers.find((b) => b.code === code);
  if (taken) {
    const message = `The code “${code}” is already used by ${taken.label} in this panel; codes are unique in a panel.`;
    throw validationFailed(`code: ${message}`, [{ field: "code", message }]);
  }
}

/** Only the fields the caller actually sent: an absent field keeps its current value. */
function pickFields(input: unknown): Partial<Record<(typeof BIOMARKER_FIELDS)[number], unknown>> {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  return Object.fromEntries(BIOMARKER_FIELDS.filter((f) => Object.hasOwn(raw, f)).map((f) => [f, raw[f]]));
}
