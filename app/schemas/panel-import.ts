/**
 * Importing a panel from another system's data dictionary (REDCap data
 * dictionary CSV, CDISC ODM XML): the options an upload carries and what the
 * proposal and the import answer. Decision 026.
 */
import { z } from "zod";
import { VALUE_TYPES } from "#app/domain/panels.ts";
import type { BiomarkerDefinition } from "#app/domain/default-panel.ts";
import type { DefinitionCheck } from "#app/domain/panel-import-plan.ts";
import { responseShape } from "./components.ts";
import { BiomarkerInput, PanelJson } from "./panels.ts";

const flag = z
  .union([z.boolean(), z.enum(["1", "0", "true", "false"])])
  .transform((v) => v === true || v === "1" || v === "true")
  .default(false);

/** "new", "skip" or a biomarker id, per field name; sent as a JSON object (a form field or query parameter holds its text). */
const Mapping = z.preprocess(
  (value, ctx) => {
    if (typeof value !== "string") return value ?? {};
    if (value.trim() === "") return {};
    try {
      return JSON.parse(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "mapping is a JSON object: field name → new, skip or a biomarker id.", input: value });
      return {};
    }
  },
  z.record(z.string().max(200), z.string().min(1).max(100), {
    error: "mapping is a JSON object: field name → new, skip or a biomarker id.",
  }),
);

export const ImportPanelOptions = z.object({
  dryRun: flag.meta({ description: "1: answer the proposal (200) and save nothing." }),
  name: z
    .string()
    .trim()
    .max(120, "A panel name has at most 120 characters.")
    .optional()
    .meta({ description: "The new panel's name; default: the file's name." }),
  description: z.string().trim().max(2000).optional(),
  mapping: Mapping.meta({
    description:
      'JSON object, per field name: "new" (default: a new biomarker), "skip" (leave it out), or the id of a biomarker of one of the workspace\'s panels (the field takes that definition and its name becomes an alias; its unit must convert).',
  }),
});

/** A proposed definition checked by the rules of a biomarker sent to the API; the first problem, as a reason. */
export const checkBiomarkerDefinition: DefinitionCheck = (definition) => {
  const result = BiomarkerInput.safeParse(definition);
  if (result.success) return { ok: true, definition: result.data as BiomarkerDefinition };
  const issue = result.error.issues[0];
  return { ok: false, message: `${String(issue.path[0] ?? "the definition")}: ${issue.message}` };
};

const ChoiceJson = z.object({ code: z.string(), label: z.string() });

export const ImportedFieldJson = responseShape(
  "ImportedField",
  z.object({
    field: z.string().describe("The field's name in the file (REDCap variable, ODM ItemDef Name)."),
    location: z.string().describe("Where it is in the file: `row 12` (the header is row 1) or `ItemDef I.CRP`."),
    sourceType: z.string().describe("The file's own type: `text (number)`, `calc`, `radio`, `float`…"),
    sourceUnit: z.string().describe("The unit the file gives the field, as UCUM spells it; empty when none."),
    becomes: z.enum(["new", "mapped"]).describe("A new biomarker of the panel, or an existing biomarker the field is mapped to."),
    code: z.string(),
    label: z.string(),
    unit: z.string(),
    valueType: z.enum(VALUE_TYPES),
    plausibleMin: z.number().nullable(),
    plausibleMax: z.number().nullable(),
    loinc: z.string().nullable(),
    choices: z.array(ChoiceJson).describe("Coded answers of a categorical field, as the file gives them."),
    categories: z
      .array(ChoiceJson)
      .describe(
        "The categories the biomarker will have: the field's choices for a new biomarker, the existing biomarker's for a mapped one; `[]` for numbers.",
      ),
    mappedTo: z
      .object({
        biomarkerId: z.string(),
        panelId: z.string(),
        panelName: z.string(),
        conversion: z.string().nullable().describe("How values in the field's unit become the biomarker's, or null when the units agree."),
      })
      .nullable(),
    notes: z.array(z.string()).describe("What was read or changed on the way (where the unit came from, a range left out)."),
  }),
);

export const SkippedFieldJson = responseShape(
  "SkippedField",
  z.object({ field: z.string(), location: z.string(), reason: z.string().describe("Why the field does not become a biomarker.") }),
);

export const MappingTargetJson = responseShape(
  "MappingTarget",
  z.object({ biomarkerId: z.string(), panelId: z.string(), panelName: z.string(), code: z.string(), label: z.string(), unit: z.string() }),
);

const importCommon = {
  source: z.enum(["redcap", "odm"]).describe("redcap: a REDCap data dictionary CSV; odm: CDISC ODM 1.3 metadata."),
  fileName: z.string().nullable(),
  fields: z.array(ImportedFieldJson).describe("Every field that becomes a biomarker, in file order."),
  skipped: z.array(SkippedFieldJson).describe("Every other field, with the reason."),
};

export const PanelImportProposalJson = responseShape(
  "PanelImportProposal",
  z.object({
    dryRun: z.literal(true),
    name: z.string().describe("The name the panel would get."),
    ...importCommon,
    targets: z.array(MappingTargetJson).describe("The workspace's biomarkers a field may be mapped to (send the id in `mapping`)."),
  }),
);

export const PanelImportJson = responseShape("PanelImport", z.object({ ...importCommon, panel: PanelJson }));
