/**
 * What an imported dictionary becomes once the person reviewing it has
 * chosen, per field, to add it as a new biomarker, to map it to a biomarker
 * the workspace already has (a site's `crp_mgdl` is our `hs_crp`), or to
 * leave it out. A mapped field takes the existing definition whole and adds
 * its own name as an alias, so a records file with that column finds it; its
 * unit must convert to the existing one. Pure (no I/O).
 */
import type { BiomarkerDefinition } from "./default-panel.ts";
import { LEAVE_OUT, LEFT_OUT_IN_REVIEW, NEW_BIOMARKER } from "./field-choices.ts";
import type { Choice, PanelProposal, ProposalSource, SkippedField } from "./panel-proposal.ts";
import { conversionFactor } from "./units.ts";

/** A biomarker of one of the workspace's panels, which a field may be mapped to. */
export interface MappingTarget {
  biomarkerId: string;
  panelId: string;
  panelName: string;
  definition: BiomarkerDefinition;
}

/** Per field name: "new" (the default), "skip", or the id of an existing biomarker. */
export type FieldMapping = Record<string, string>;

export interface PlannedField {
  field: string;
  location: string;
  sourceType: string;
  /** The unit the file gives the field (empty when none). */
  sourceUnit: string;
  becomes: "new" | "mapped";
  biomarker: BiomarkerDefinition;
  choices: Choice[];
  mappedTo: { biomarkerId: string; panelId: string; panelName: string; conversion: string | null } | null;
  notes: string[];
}

export interface PanelImportPlan {
  source: ProposalSource;
  fields: PlannedField[];
  skipped: SkippedField[];
}

export type DefinitionCheck = (
  definition: BiomarkerDefinition,
) => { ok: true; definition: BiomarkerDefinition } | { ok: false; message: string };

export type PlanResult = { ok: true; plan: PanelImportPlan } | { ok: false; problems: { field: string; message: string }[] };

export function planPanelImport(
  proposal: PanelProposal,
  mapping: FieldMapping,
  targets: MappingTarget[],
  check: DefinitionCheck,
): PlanResult {
  const problems: { field: string; message: string }[] = [];
  const proposed = new Map(proposal.fields.map((f) => [f.field, f]));
  for (const [field, choice] of Object.entries(mapping)) {
    if (proposed.has(field)) continue;
    const skipped = proposal.skipped.find((s) => s.field === field);
    if (skipped && choice !== LEAVE_OUT)
      problems.push({ field, message: `${field} (${skipped.location}) cannot be imported: ${skipped.reason}.` });
    if (!skipped) problems.push({ field, message: `The file has no field “${field}”.` });
  }

  const skipped = [...proposal.skipped];
  const fields: PlannedField[] = [];
  const mappedBy = new Map<string, string>();
  for (const field of proposal.fields) {
    const choice = mapping[field.field] ?? NEW_BIOMARKER;
    const base = {
      field: field.field,
      location: field.location,
      sourceType: field.sourceType,
      sourceUnit: field.biomarker.unit,
      choices: field.choices,
      notes: field.notes,
    };
    if (choice === LEAVE_OUT) {
      skipped.push({ field: field.field, location: field.location, reason: LEFT_OUT_IN_REVIEW });
      continue;
    }
    if (choice === NEW_BIOMARKER) {
      fields.push({ ...base, becomes: "new", biomarker: field.biomarker, mappedTo: null });
      continue;
    }
    const target = targets.find((t) => t.biomarkerId === choice);
    if (!target) {
      problems.push({
        field: field.field,
        message: `${field.field}: “${choice}” is not a biomarker of this workspace (send new, skip or a biomarker id).`,
      });
      continue;
    }
    const existing = target.definition;
    const earlier = mappedBy.get(existing.code);
    if (earlier) {
      problems.push({
        field: field.field,
        message: `${field.field} and ${earlier} are both mapped to ${existing.code}; map each biomarker once.`,
      });
      continue;
    }
    mappedBy.set(existing.code, field.field);
    const numeric = (t: string) => t === "numeric" || t === "integer";
    if (numeric(field.biomarker.valueType) !== numeric(existing.valueType)) {
      problems.push({
        field: field.field,
        message: `${field.field} holds ${numeric(field.biomarker.valueType) ? "numbers" : "categories"}, but ${existing.code} holds ${numeric(existing.valueType) ? "numbers" : "categories"}.`,
      });
      continue;
    }
    let conversion: string | null = null;
    if (field.biomarker.unit && field.biomarker.unit !== existing.unit) {
      const factor = conversionFactor(field.biomarker.unit, existing.unit, {
        molarMass: existing.molarMass,
        conventions: existing.unitConventions,
      });
      if (!factor.ok) {
        problems.push({ field: field.field, message: `${field.field} cannot be mapped to ${existing.code}: ${factor.message}` });
        continue;
      }
      conversion = factor.description;
    }
    // Records of the field are read with the biomarker's categories; a code the file has and they lack would not read.
    const unknownCodes = field.choices.filter((c) => !existing.categories.some((e) => e.code === c.code)).map((c) => c.code);
    const notes =
      existing.valueType === "category" && unknownCodes.length
        ? [
            ...field.notes,
            unknownCodes.length === 1
              ? `The code ${unknownCodes[0]} of ${field.field} is not a category of ${existing.code}.`
              : `The codes ${unknownCodes.join(", ")} of ${field.field} are not categories of ${existing.code}.`,
          ]
        : field.notes;
    const aliases =
      field.field === existing.code || existing.aliases.includes(field.field) ? existing.aliases : [...existing.aliases, field.field];
    fields.push({
      ...base,
      notes,
      becomes: "mapped",
      biomarker: { ...existing, aliases },
      mappedTo: { biomarkerId: target.biomarkerId, panelId: target.panelId, panelName: target.panelName, conversion },
    });
  }
  if (problems.length) return { ok: false, problems };

  // A new field may not take the code of a biomarker another field was mapped to; and every definition passes the API's rules.
  const checked: PlannedField[] = [];
  for (const field of fields) {
    if (field.becomes === "new" && mappedBy.has(field.biomarker.code)) {
      skipped.push({
        field: field.field,
        location: field.location,
        reason: `its code is taken by ${field.biomarker.code}, which ${mappedBy.get(field.biomarker.code)} is mapped to`,
      });
      continue;
    }
    const result = check(field.biomarker);
    if (!result.ok) {
      skipped.push({ field: field.field, location: field.location, reason: result.message });
      continue;
    }
    checked.push({ ...field, biomarker: result.definition });
  }
  return { ok: true, plan: { source: proposal.source, fields: checked, skipped } };
}
