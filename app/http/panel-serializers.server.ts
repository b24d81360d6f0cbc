/** How the API writes panels, their biomarkers and versions: ids as strings, times as ISO 8601 UTC. */
import type { Panel, PanelBiomarker } from "#db/schema.ts";
import { checkUnit } from "#app/domain/units.ts";
import type { PanelVersionEntry, PanelVersionSnapshot } from "#app/services/panels.server.ts";

export interface PanelViewLike extends Panel {
  biomarkers: PanelBiomarker[];
}

/** UCUM's name of a stored unit ("milligram per liter"), for people reading the panel. */
export function unitName(unit: string): string {
  const check = checkUnit(unit);
  return check.valid ? check.name : unit;
}

export const biomarkerJson = (b: Omit<PanelBiomarker, "panelId">) => ({
  id: b.id,
  code: b.code,
  label: b.label,
  loinc: b.loinc,
  specimen: b.specimen,
  unit: b.unit,
  unitName: unitName(b.unit),
  valueType: b.valueType,
  plausibleMin: b.plausibleMin,
  plausibleMax: b.plausibleMax,
  cutoffs: b.cutoffs,
  molarMass: b.molarMass,
  unitConventions: b.unitConventions,
  aliases: b.aliases,
  description: b.description,
  position: b.position,
});

export const panelJson = (p: PanelViewLike) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  version: p.version,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  biomarkers: p.biomarkers.map(biomarkerJson),
});

export const panelSummaryJson = (p: Panel & { biomarkerCount: number }) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  version: p.version,
  biomarkerCount: p.biomarkerCount,
  updatedAt: p.updatedAt.toISOString(),
});

export const panelVersionEntryJson = (v: PanelVersionEntry) => ({
  version: v.version,
  note: v.note,
  author: v.author,
  createdAt: v.createdAt.toISOString(),
});

export const panelVersionJson = (v: PanelVersionSnapshot) => ({
  ...panelVersionEntryJson(v),
  panelId: v.panelId,
  name: v.name,
  description: v.description,
  biomarkers: v.biomarkers.map(biomarkerJson),
});

export const biomarkerChangeJson = (change: { panel: PanelViewLike; biomarker: PanelBiomarker }) => ({
  ...biomarkerJson(change.biomarker),
  panelVersion: change.panel.version,
});

export const dictionaryImportJson = (result: import("#app/services/panel-dictionary.server.ts").DictionaryImport) => ({
  mode: result.mode,
  changed: result.changed,
  added: result.added,
  updated: result.updated,
  removed: result.removed,
  unchanged: result.unchanged,
  panel: panelJson(result.panel),
});

/** “immuno-metabolic-core-panel-v3-dictionary.csv”: names the panel and the version it holds. */
export function dictionaryFileName(panel: { name: string; version: number }): string {
  const slug = panel.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "panel";
  return `${slug}-v${panel.version}-dictionary.csv`;
}
