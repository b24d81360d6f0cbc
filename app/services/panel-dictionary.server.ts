/**
 * A panel's data dictionary as a CSV file: export, and import all-or-nothing.
 *
 * Import replaces by default: the file becomes the panel's whole list, in the
 * file's order, and biomarkers not in it are removed. With mode=merge, rows
 * update the biomarkers of the same code and add new ones at the end; the
 * others stay. Either way a biomarker keeps its id while its code stays the
 * same, so datasets mapped to it stay mapped.
 */
import { inArray } from "drizzle-orm";
import { panelBiomarkers } from "#db/schema.ts";
import { describeProblem, dictionaryCsv, MAX_REPORTED_PROBLEMS, parseDictionaryCsv } from "#app/domain/panel-dictionary.ts";
import { checkBiomarkerRow, ImportDictionaryQuery, type BiomarkerData } from "#app/schemas/panels.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { DictionaryImport } from "#app/public-shapes/panels.ts";
import { newId } from "./crypto.server.ts";
import { validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { BIOMARKER_FIELDS, definitionOf, writeBiomarker } from "./panel-biomarkers.server.ts";
import { commitPanelChange, getPanel, loadPanel, requireCurrentVersion, type PanelView } from "./panels.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export async function exportDictionary(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
): Promise<{ panel: PanelView; csv: string }> {
  const panel = await getPanel(actor, workspaceId, panelId);
  return { panel, csv: dictionaryCsv(panel.biomarkers.map(definitionOf)) };
}

export type { DictionaryImport };

export async function importDictionary(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
  upload: { csv: string; query: unknown },
): Promise<DictionaryImport> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadPanel(tx, workspaceId, panelId);
    const { baseVersion, mode } = parseInput(ImportDictionaryQuery, upload.query);
    const parsed = parseDictionaryCsv(upload.csv, checkBiomarkerRow);
    if (!parsed.ok) throw dictionaryRefused(parsed.problems);
    await requireCurrentVersion(before, baseVersion);

    const plan = planImport(before, parsed.biomarkers, mode);
    const summary = { mode, added: plan.added, updated: plan.updated, removed: plan.removed, unchanged: plan.unchanged };
    if (!plan.added.length && !plan.updated.length && !plan.removed.length && !plan.reordered) {
      return { panel: before, changed: false, ...summary };
    }

    if (plan.removedIds.length) await tx.delete(panelBiomarkers).where(inArray(panelBiomarkers.id, plan.removedIds));
    for (const [position, { id, data, isNew }] of plan.rows.entries()) {
      if (isNew) await tx.insert(panelBiomarkers).values({ ...data, id, panelId, position });
      else await writeBiomarker(tx, id, data, position);
    }
    const counts = `${plan.added.length} added, ${plan.updated.length} changed, ${plan.removed.length} removed`;
    const panel = await commitPanelChange(tx, before, actor, `Imported a data dictionary (${mode}): ${counts}`);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "panel.imported",
      target: { type: "panel", id: panelId },
      payload: {
        panel: panel.name,
        version: panel.version,
        ...summary,
        // The snapshots of both versions hold every definition; the event names what moved.
        before: { version: before.version, codes: before.biomarkers.map((b) => b.code) },
        after: { version: panel.version, codes: panel.biomarkers.map((b) => b.code) },
      },
    });
    return { panel, changed: true, ...summary };
  });
}

interface ImportPlan {
  rows: { id: string; data: BiomarkerData; isNew: boolean }[];
  removedIds: string[];
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
  reordered: boolean;
}

function planImport(before: PanelView, incoming: BiomarkerData[], mode: "replace" | "merge"): ImportPlan {
  const existingByCode = new Map(before.biomarkers.map((b) => [b.code, b]));
  const incomingByCode = new Map(incoming.map((b) => [b.code, b]));
  const same = (a: BiomarkerData, b: BiomarkerData) => BIOMARKER_FIELDS.every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f]));
  const plan: ImportPlan = { rows: [], removedIds: [], added: [], updated: [], removed: [], unchanged: 0, reordered: false };

  const keep = (data: BiomarkerData) => {
    const existing = existingByCode.get(data.code);
    if (!existing) {
      plan.added.push(data.code);
      plan.rows.push({ id: newId(), data, isNew: true });
      return;
    }
    if (same(definitionOf(existing), data)) plan.unchanged += 1;
    else plan.updated.push(data.code);
    plan.rows.push({ id: existing.id, data, isNew: false });
  };

  if (mode === "replace") {
    incoming.forEach(keep);
    for (const b of before.biomarkers) {
      if (!incomingByCode.has(b.code)) {
        plan.removed.push(b.code);
        plan.removedIds.push(b.id);
      }
    }
  } else {
    for (const b of before.biomarkers) keep(incomingByCode.get(b.code) ?? definitionOf(b));
    incoming.filter((b) => !existingByCode.has(b.code)).forEach(keep);
  }
  if (mode === "replace") {
    // Moving rows around in the file is a change too: the panel's order follows the file.
    const keptInFileOrder = plan.rows.filter((r) => !r.isNew).map((r) => r.data.code);
    const keptInPanelOrder = before.biomarkers.filter((b) => incomingByCode.has(b.code)).map((b) => b.code);
    plan.reordered = keptInFileOrder.join("\n") !== keptInPanelOrder.join("\n");
  }
  return plan;
}

function dictionaryRefused(problems: { row: number; column: string; message: string }[]) {
  const listed = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const more = problems.length > listed.length ? ` (and ${problems.length - listed.length} more)` : "";
  const head =
    problems.length === 1
      ? "The data dictionary has a problem, so nothing was imported"
      : `The data dictionary has ${problems.length} problems${more}, so nothing was imported`;
  return validationFailed(`${head}: ${listed.slice(0, 5).map(describeProblem).join("; ")}${listed.length > 5 ? "; …" : ""}`, listed);
}
