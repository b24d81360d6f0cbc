/**
 * The site kit of a study: what a partner needs to summarise participant-level
 * data that cannot leave its site (docs/decisions/019-site-summaries.md) —
 * the study's arms and outcomes, its panel for recognising columns and units,
 * and the workspace's profiles, each with the version the summary will name.
 */
import { eq } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { workspaces } from "#db/schema.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { comparatorOf } from "#app/domain/comparison-inputs.ts";
import { MINIMUM_CELL_SIZE, SITE_KIT_FORMAT, type SiteKit } from "#app/domain/site-summary.ts";
import { loadSources } from "./comparison-sources.server.ts";
import { notFound } from "./errors.server.ts";
import { loadPanel } from "./panels.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";

export async function siteKit(actor: PublicUser, workspaceId: string, studyId: string): Promise<SiteKit> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const sources = await loadSources(db, workspaceId);
  const study = sources.studies.find((s) => s.id === studyId);
  if (!study) throw notFound("No study with this id in this workspace.");
  const workspace = (
    await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId))
  )[0];
  // The import reads a file with the study's own panel only (none: no biomarker columns), so the kit carries that panel.
  const panel = study.panelId ? await loadPanel(db, workspaceId, study.panelId) : null;
  return {
    format: SITE_KIT_FORMAT,
    workspace: { id: workspace.id, name: workspace.name },
    study: {
      id: study.id,
      title: study.title,
      version: study.version,
      arms: study.arms.map((a) => ({ id: a.id, name: a.name, class: a.class })),
      comparatorArmId: comparatorOf(study.arms)?.id ?? null,
      outcomes: study.outcomes.map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
    },
    panel: panel && {
      id: panel.id,
      version: panel.version,
      biomarkers: panel.biomarkers.map((b) => ({
        code: b.code,
        label: b.label,
        unit: b.unit,
        molarMass: b.molarMass,
        unitConventions: b.unitConventions,
        aliases: b.aliases,
        valueType: b.valueType,
        plausibleMin: b.plausibleMin,
        plausibleMax: b.plausibleMax,
      })),
    },
    profiles: sources.profiles.map((p) => ({ id: p.id, version: p.version, name: p.name, criteria: p.criteria })),
    minimumCellSize: MINIMUM_CELL_SIZE,
    createdAt: new Date().toISOString(),
  };
}
