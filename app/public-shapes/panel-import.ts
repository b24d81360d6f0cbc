/** How the API writes a panel import's proposal and result (decision 026). */
import type { z } from "zod";
import type { MappingTarget, PlannedField } from "#app/domain/panel-import-plan.ts";
import type { SkippedField } from "#app/domain/panel-proposal.ts";
import type { ImportedFieldJson, PanelImportJson, PanelImportProposalJson } from "#app/schemas/panel-import.ts";
import { panelJson, type PanelView } from "./panels.ts";

interface Planned {
  source: "redcap" | "odm";
  fileName: string | null;
  fields: PlannedField[];
  skipped: SkippedField[];
}

export const importedFieldJson = (f: PlannedField): z.output<typeof ImportedFieldJson> => ({
  field: f.field,
  location: f.location,
  sourceType: f.sourceType,
  sourceUnit: f.sourceUnit,
  becomes: f.becomes,
  code: f.biomarker.code,
  label: f.biomarker.label,
  unit: f.biomarker.unit,
  valueType: f.biomarker.valueType,
  plausibleMin: f.biomarker.plausibleMin,
  plausibleMax: f.biomarker.plausibleMax,
  loinc: f.biomarker.loinc,
  choices: f.choices,
  categories: f.biomarker.categories,
  mappedTo: f.mappedTo,
  notes: f.notes,
});

const common = (p: Planned) => ({
  source: p.source,
  fileName: p.fileName,
  fields: p.fields.map(importedFieldJson),
  skipped: p.skipped.map(({ field, location, reason }) => ({ field, location, reason })),
});

export const panelImportProposalJson = (
  p: Planned & { name: string; targets: MappingTarget[] },
): z.output<typeof PanelImportProposalJson> => ({
  dryRun: true,
  name: p.name,
  ...common(p),
  targets: p.targets.map((t) => ({
    biomarkerId: t.biomarkerId,
    panelId: t.panelId,
    panelName: t.panelName,
    code: t.definition.code,
    label: t.definition.label,
    unit: t.definition.unit,
  })),
});

export const panelImportJson = (p: Planned & { panel: PanelView }): z.output<typeof PanelImportJson> => ({
  ...common(p),
  panel: panelJson(p.panel),
});

export function redcapDictionaryFileName(panel: { name: string; version: number }): string {
  const slug =
    panel.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "panel";
  return `${slug}-v${panel.version}-redcap-dictionary.csv`;
}
