/**
 * A new panel from another system's data dictionary: a REDCap data
 * dictionary CSV or the metadata of a CDISC ODM file (decision 026). The file
 * is read into a proposal (every field becomes a biomarker or is skipped with
 * a reason), the reviewer's mapping is applied (new, skip, or an existing
 * biomarker of the workspace), and either the plan is answered (dry run) or
 * the panel is created with it in one transaction with one event. And the
 * way back: a panel as a REDCap data dictionary.
 */
import { eq } from "drizzle-orm";
import type { Reader } from "#db/client.ts";
import { panelBiomarkers, panels } from "#db/schema.ts";
import { parseOdmMetadata, looksLikeXml } from "#app/domain/odm-metadata.ts";
import { type MappingTarget, type PanelImportPlan, planPanelImport } from "#app/domain/panel-import-plan.ts";
import type { FileProblem } from "#app/domain/panel-proposal.ts";
import { parseRedcapDictionary, redcapDictionaryCsv } from "#app/domain/redcap-dictionary.ts";
import { checkBiomarkerDefinition, ImportPanelOptions } from "#app/schemas/panel-import.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { newId } from "./crypto.server.ts";
import { unprocessable, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { definitionOf } from "./panel-biomarkers.server.ts";
import { getPanel, loadPanel, type PanelView, saveSnapshot } from "./panels.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export interface PanelImportUpload {
  text: string;
  fileName: string | null;
  /** The upload's options: form fields and query parameters (dryRun, name, description, mapping). */
  options: Record<string, unknown>;
}

export type PanelImportOutcome =
  | (PanelImportPlan & { dryRun: true; name: string; fileName: string | null; targets: MappingTarget[] })
  | (PanelImportPlan & { dryRun: false; fileName: string | null; panel: PanelView });

export async function importPanelFile(actor: PublicUser, workspaceId: string, upload: PanelImportUpload): Promise<PanelImportOutcome> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const options = parseInput(ImportPanelOptions, upload.options);
    const parsed = looksLikeXml(upload.text) ? parseOdmMetadata(upload.text) : parseRedcapDictionary(upload.text);
    if (!parsed.ok) throw fileRefused(parsed.problems);
    const targets = await mappingTargets(tx, workspaceId);
    const planned = planPanelImport(parsed.proposal, options.mapping, targets, checkBiomarkerDefinition);
    if (!planned.ok) {
      throw validationFailed(
        `The mapping cannot be applied, so nothing was imported: ${planned.problems.map((p) => p.message).join(" ")}`,
        planned.problems.map((p) => ({ field: `mapping.${p.field}`, message: p.message })),
      );
    }
    const { plan } = planned;
    const name = options.name || upload.fileName?.replace(/\.(csv|txt|xml|odm)$/i, "").trim() || "Imported data dictionary";
    if (options.dryRun) return { dryRun: true as const, name, fileName: upload.fileName, targets, ...plan };
    if (plan.fields.length === 0) {
      throw unprocessable(
        "No field of this file can become a biomarker, so no panel was made; the skipped fields say why.",
        plan.skipped.map((s) => ({ field: s.field, message: `${s.location}: ${s.reason}` })),
      );
    }

    const now = new Date();
    const panel = {
      id: newId(),
      workspaceId,
      name,
      description:
        options.description ??
        `Imported from ${plan.source === "odm" ? "CDISC ODM" : "a REDCap data dictionary"}${upload.fileName ? ` (${upload.fileName})` : ""}.`,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(panels).values(panel);
    await tx
      .insert(panelBiomarkers)
      .values(plan.fields.map((f, position) => ({ ...f.biomarker, id: newId(), panelId: panel.id, position })));
    const view = await loadPanel(tx, workspaceId, panel.id);
    await saveSnapshot(
      tx,
      view,
      actor.id,
      `Imported from ${plan.source === "odm" ? "CDISC ODM" : "REDCap"}: ${plan.fields.length} fields, ${plan.skipped.length} skipped`,
    );
    await record({
      workspaceId,
      actorId: actor.id,
      type: "panel.created",
      target: { type: "panel", id: panel.id },
      payload: {
        name,
        version: 1,
        biomarkers: plan.fields.length,
        fromDefault: false,
        imported: {
          source: plan.source,
          fileName: upload.fileName,
          mapped: plan.fields.filter((f) => f.becomes === "mapped").map((f) => ({ field: f.field, code: f.biomarker.code })),
          skipped: plan.skipped.map((s) => ({ field: s.field, reason: s.reason })),
        },
      },
    });
    return { dryRun: false as const, fileName: upload.fileName, panel: view, ...plan };
  });
}

/** Refuses (404 or 403) someone who may not import, before their upload is read. */
export async function requirePanelImporter(actor: PublicUser, workspaceId: string): Promise<void> {
  await requireWorkspaceRole(actor.id, workspaceId, "contributor");
}

/** The panel as a REDCap data dictionary, to build a REDCap project that collects what the panel defines. */
export async function exportRedcapDictionary(
  actor: PublicUser,
  workspaceId: string,
  panelId: string,
): Promise<{ panel: PanelView; csv: string }> {
  const panel = await getPanel(actor, workspaceId, panelId);
  return { panel, csv: redcapDictionaryCsv(panel.biomarkers.map(definitionOf), panel.name) };
}

/** Every biomarker of the workspace's panels, which an imported field may be mapped to. */
async function mappingTargets(db: Reader, workspaceId: string): Promise<MappingTarget[]> {
  const rows = await db
    .select({ biomarker: panelBiomarkers, panelName: panels.name })
    .from(panelBiomarkers)
    .innerJoin(panels, eq(panels.id, panelBiomarkers.panelId))
    .where(eq(panels.workspaceId, workspaceId))
    .orderBy(panels.name, panelBiomarkers.position);
  return rows.map(({ biomarker, panelName }) => ({
    biomarkerId: biomarker.id,
    panelId: biomarker.panelId,
    panelName,
    definition: definitionOf(biomarker),
  }));
}

function fileRefused(problems: FileProblem[]) {
  const first = problems[0];
  const where = first.row === null ? "" : `row ${first.row}: `;
  return validationFailed(
    `The file cannot be read as a data dictionary, so nothing was imported: ${where}${first.message}`,
    problems.map((p) => ({
      field: "file",
      ...(p.row === null ? {} : { row: p.row }),
      ...(p.column ? { column: p.column } : {}),
      message: p.message,
    })),
  );
}
