/** How the API writes panels, their biomarkers and versions. */
import type { z } from "zod";
import type { Panel, PanelBiomarker } from "#db/schema.ts";
import { checkUnit } from "#app/domain/units.ts";
import type {
  BiomarkerChangeJson,
  BiomarkerJson,
  DICTIONARY_MODES,
  DictionaryImportJson,
  PanelJson,
  PanelSummaryJson,
  PanelVersionJson,
} from "#app/schemas/panels.ts";
import { type VersionEntry, versionEntryJson } from "./versions.ts";

export interface PanelView extends Panel {
  biomarkers: PanelBiomarker[];
}

export type PanelVersionEntry = VersionEntry;

export interface PanelVersionSnapshot extends PanelVersionEntry {
  panelId: string;
  name: string;
  description: string;
  biomarkers: Omit<PanelBiomarker, "panelId">[];
}

export interface BiomarkerChange {
  panel: PanelView;
  biomarker: PanelBiomarker;
}

export interface DictionaryImport {
  panel: PanelView;
  mode: (typeof DICTIONARY_MODES)[number];
  /** False when the file matched the panel already: no new version was made. */
  changed: boolean;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

/** UCUM's name of a stored unit ("milligram per liter"), for people reading the panel. */
export function unitName(unit: string): string {
  const check = checkUnit(unit);
  return check.valid ? check.name : unit;
}

export const biomarkerJson = (b: Omit<PanelBiomarker, "panelId">): z.output<typeof BiomarkerJson> => ({
  id: b.id,
  code: b.code,
  label: b.label,
  loinc: b.loinc,
  specimen: b.specimen,
  unit: b.unit,
  unitName: unitName(b.unit),
  valueType: b.valueType,
  // Snapshots stored before categories had a column have none (their choices are in the description).
  categories: b.categories ?? [],
  plausibleMin: b.plausibleMin,
  plausibleMax: b.plausibleMax,
  cutoffs: b.cutoffs,
  molarMass: b.molarMass,
  unitConventions: b.unitConventions,
  aliases: b.aliases,
  description: b.description,
  position: b.position,
});

export const panelJson = (p: PanelView): z.output<typeof PanelJson> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  version: p.version,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  biomarkers: p.biomarkers.map(biomarkerJson),
});

export const panelSummaryJson = (p: Panel & { biomarkerCount: number }): z.output<typeof PanelSummaryJson> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  version: p.version,
  biomarkerCount: p.biomarkerCount,
  updatedAt: p.updatedAt.toISOString(),
});

export const panelVersionEntryJson = versionEntryJson;

export const panelVersionJson = (v: PanelVersionSnapshot): z.output<typeof PanelVersionJson> => ({
  ...versionEntryJson(v),
  panelId: v.panelId,
  name: v.name,
  description: v.description,
  biomarkers: v.biomarkers.map(biomarkerJson),
});

export const biomarkerChangeJson = (change: BiomarkerChange): z.output<typeof BiomarkerChangeJson> => ({
  ...biomarkerJson(change.biomarker),
  panelVersion: change.panel.version,
});

export const dictionaryImportJson = (result: DictionaryImport): z.output<typeof DictionaryImportJson> => ({
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
  const slug =
    panel.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "panel";
  return `${slug}-v${panel.version}-dictionary.csv`;
}
