/**
 * Input rules for biomarker panels, shared by the JSON API, the page forms and
 * the data-dictionary import. Structured parts (cut-offs, unit conventions,
 * aliases, categories) come as JSON arrays from the API and as text in the
 * syntax of app/domain/biomarker-text.ts from CSV cells; both end up checked
 * by the same rules. Units are checked with UCUM and stored normalised.
 *
 * Server-side only: it imports the UCUM tables through app/domain/units.ts.
 */
import { z } from "zod";
import { VALUE_TYPES } from "#app/domain/panels.ts";
import {
  CUTOFF_OPERATORS,
  checkLoinc,
  parseAliases,
  parseCutoffs,
  parseNumber,
  parseUnitConventions,
  RESERVED_IN_LABELS,
} from "#app/domain/biomarker-text.ts";
import { checkUnit } from "#app/domain/units.ts";
import { CategoriesInput, CategoryJson, checkCategories, readCategoriesText } from "./categories.ts";
import { requestShape, responseShape } from "./components.ts";
import { StaleVersionBody } from "./errors.ts";
import { Count, Id, IsoTime, VersionEntryJson } from "./json.ts";
import { Paged } from "./paging.ts";

export const CreatePanelInput = requestShape(
  "CreatePanelInput",
  z.object({
    name: z.string({ error: "Give the panel a name." }).trim().min(1, "Give the panel a name.").max(120),
    description: z.string().trim().max(2000).default(""),
    /** Start from the default immuno-metabolic panel (docs/domain.md). */
    fromDefault: z
      .union([z.boolean(), z.enum(["true", "false", "on"])])
      .transform((v) => v === true || v === "true" || v === "on")
      .default(false),
  }),
);

/** The version an edit was based on; a stale one is refused with 409. */
export const BaseVersion = z.coerce
  .number({ error: "Send baseVersion: the panel version your change is based on." })
  .int("baseVersion is a whole number.")
  .min(1, "Send baseVersion: the panel version your change is based on.")
  .meta({ description: "The panel version this change is based on (the `version` you read). A stale one answers 409." });

export const UpdatePanelInput = requestShape(
  "UpdatePanelInput",
  z.object({
    name: z.string().trim().min(1, "Give the panel a name.").max(120).optional(),
    description: z.string().trim().max(2000).optional(),
    baseVersion: BaseVersion,
  }),
);

/** A unit as UCUM spells it ("µIU/mL" → "u[IU]/mL"), or the problem with UCUM's suggestion. */
const ucumUnit = z
  .string()
  .max(60, "A unit has at most 60 characters.")
  .transform((raw, ctx) => {
    const check = checkUnit(raw);
    if (!check.valid) {
      ctx.addIssue({ code: "custom", message: check.message });
      return z.NEVER;
    }
    return check.unit;
  });

/** Empty or missing → null; text → a number, or the problem. */
const optionalNumber = (what: string) =>
  z.preprocess(
    (value, ctx) => {
      if (value === undefined || value === null) return null;
      if (typeof value === "number") return value;
      if (typeof value === "string") {
        if (value.trim() === "") return null;
        const parsed = parseNumber(value);
        if (parsed === null)
          ctx.addIssue({ code: "custom", message: `${what}: write a number, such as 3 or 0.5 (a dot for decimals).`, input: value });
        return parsed;
      }
      return value;
    },
    z
      .number({ error: `${what} is a number.` })
      .finite(`${what} is a finite number.`)
      .nullable(),
  );

const labelText = (what: string, max: number) =>
  z
    .string({ error: `${what} is text.` })
    .trim()
    .min(1, `${what} cannot be empty.`)
    .max(max, `${what} has at most ${max} characters.`)
    .refine((v) => !RESERVED_IN_LABELS.test(v), `${what} cannot contain ; < > or =, which the dictionary syntax uses.`);

export const CutoffInput = z.object({
  label: labelText("A cut-off's label", 80),
  operator: z.enum(CUTOFF_OPERATORS, { error: "A cut-off's operator is one of <, <=, > or >=." }),
  value: z.number({ error: "A cut-off's value is a number." }).finite("A cut-off's value is a finite number."),
});

export const UnitConventionInput = z.object({
  unit: ucumUnit,
  factor: z.number({ error: "A convention's factor is a number." }).finite().positive("A convention's factor is a positive number."),
  note: z
    .string()
    .trim()
    .max(200, "A convention's note has at most 200 characters.")
    .refine((v) => !v.includes(";") && balancedParentheses(v), "A convention's note cannot contain ; or unbalanced parentheses.")
    .default(""),
});

/** Accepts the structured value (API) or its text form (forms, CSV cells). */
function textOr<T>(parse: (text: string) => { ok: true; value: T } | { ok: false; message: string }) {
  return (value: unknown, ctx: { addIssue: (issue: { code: "custom"; message: string; input: unknown }) => void }) => {
    if (value === undefined || value === null) return [];
    if (typeof value !== "string") return value;
    const parsed = parse(value);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.message, input: value });
    return [];
  };
}

const BIOMARKER_FIELDS = {
  code: z
    .string({ error: "Give the biomarker a code." })
    .trim()
    .min(1, "Give the biomarker a code.")
    .max(40, "A code has at most 40 characters.")
    .regex(/^[a-z0-9_]+$/, "A code uses lower-case letters, digits and _ only (like hs_crp)."),
  label: z.string({ error: "Give the biomarker a label." }).trim().min(1, "Give the biomarker a label.").max(120),
  loinc: z
    .string()
    .trim()
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null;
      const check = checkLoinc(v);
      if (!check.valid) ctx.addIssue({ code: "custom", message: check.message });
      return v;
    })
    .meta({ description: "LOINC code with its check digit (30522-7), or null." }),
  specimen: z
    .string()
    .trim()
    .max(60, "A specimen has at most 60 characters.")
    .nullish()
    .transform((v) => v || null),
  unit: ucumUnit
    .default("")
    .meta({ description: "UCUM unit (mg/L, u[IU]/mL, kg/m2); empty for unitless values. Stored as UCUM spells it." }),
  valueType: z.enum(VALUE_TYPES, { error: `A value type is one of: ${VALUE_TYPES.join(", ")}.` }).default("numeric"),
  categories: z.preprocess(textOr(readCategoriesText), CategoriesInput).meta({
    description:
      "The coded answers of a `category` biomarker, in order, codes unique; only category biomarkers have them. Text form (REDCap's): `1, Male | 2, Female`.",
  }),
  plausibleMin: optionalNumber("The plausible minimum"),
  plausibleMax: optionalNumber("The plausible maximum"),
  cutoffs: z
    .preprocess(textOr(parseCutoffs), z.array(CutoffInput).max(20, "A biomarker has at most 20 cut-offs."))
    .meta({ description: "Named cut-offs in the biomarker's unit. Forms may send the text form `low<1; high>3`." }),
  molarMass: optionalNumber("The molar mass").refine((v) => v === null || v > 0, "The molar mass is a positive number of g/mol."),
  unitConventions: z
    .preprocess(textOr(parseUnitConventions), z.array(UnitConventionInput).max(10, "A biomarker has at most 10 unit conventions."))
    .meta({
      description:
        "Conversions UCUM cannot do: value in the biomarker's unit = value in `unit` × `factor`. Text form: `pmol/L*0.1667 (1 µIU/mL = 6.0 pmol/L)`.",
    }),
  aliases: z
    .preprocess(
      textOr((text) => ({ ok: true, value: parseAliases(text) })),
      z
        .array(
          z
            .string()
            .trim()
            .min(1, "An alias cannot be empty.")
            .max(100)
            .refine((v) => !v.includes(";"), "An alias cannot contain ;."),
        )
        .max(50),
    )
    .meta({ description: "Other column names that mean this biomarker in uploaded files. Text form: `crp; hscrp`." }),
  description: z
    .string()
    .trim()
    .max(2000)
    .nullish()
    .transform((v) => v ?? ""),
};

/** Rules that look at several fields at once. */
function checkBiomarker(
  b: {
    valueType: string;
    categories: { code: string }[];
    plausibleMin: number | null;
    plausibleMax: number | null;
    cutoffs: unknown[];
    unitConventions: { unit: string }[];
    molarMass: number | null;
  },
  ctx: z.RefinementCtx,
) {
  if (b.plausibleMin !== null && b.plausibleMax !== null && b.plausibleMin > b.plausibleMax) {
    ctx.addIssue({ code: "custom", path: ["plausibleMax"], message: "The plausible maximum is below the plausible minimum." });
  }
  if (b.valueType === "text" || b.valueType === "category") {
    const numericOnly: [keyof typeof b, boolean][] = [
      ["plausibleMin", b.plausibleMin !== null],
      ["plausibleMax", b.plausibleMax !== null],
      ["cutoffs", b.cutoffs.length > 0],
      ["molarMass", b.molarMass !== null],
      ["unitConventions", b.unitConventions.length > 0],
    ];
    for (const [field, present] of numericOnly) {
      if (present)
        ctx.addIssue({ code: "custom", path: [field], message: `Only numeric biomarkers have this; this one is ${b.valueType}.` });
    }
  }
  checkCategories(b, ctx);
  const seen = new Set<string>();
  b.unitConventions.forEach((c, i) => {
    if (seen.has(c.unit)) ctx.addIssue({ code: "custom", path: ["unitConventions", i, "unit"], message: `Two conventions for ${c.unit}.` });
    seen.add(c.unit);
  });
}

export const BiomarkerInput = z.object(BIOMARKER_FIELDS).superRefine(checkBiomarker);
export type BiomarkerData = z.output<typeof BiomarkerInput>;

/** One row of an uploaded data dictionary, checked by the same rules as a biomarker sent to the API. */
export function checkBiomarkerRow(
  input: Record<string, string>,
): { ok: true; biomarker: BiomarkerData } | { ok: false; issues: { field: string; message: string }[] } {
  const result = BiomarkerInput.safeParse(input);
  if (result.success) return { ok: true, biomarker: result.data };
  return { ok: false, issues: result.error.issues.map((issue) => ({ field: String(issue.path[0] ?? ""), message: issue.message })) };
}

/** Adding a biomarker: the biomarker and the panel version it was based on. */
export const AddBiomarkerInput = requestShape(
  "AddBiomarkerInput",
  z
    .object({ ...BIOMARKER_FIELDS, baseVersion: BaseVersion })
    .superRefine(checkBiomarker)
    // Preprocessed fields look required to JSON Schema; only these must be sent, the rest have defaults.
    .meta({ required: ["code", "label", "baseVersion"] }),
);

/**
 * Editing a biomarker: any of its fields and the base version. The service
 * merges the fields into the current biomarker and checks the whole with
 * BiomarkerInput, so rules across fields hold after a partial edit.
 */
export const UpdateBiomarkerInput = requestShape(
  "UpdateBiomarkerInput",
  z
    .object(BIOMARKER_FIELDS)
    .partial()
    .extend({ baseVersion: BaseVersion })
    .meta({ required: ["baseVersion"] }),
);

/** Removing a biomarker, or the base version of any edit on its own. */
export const BaseVersionInput = z.object({ baseVersion: BaseVersion });

export const DICTIONARY_MODES = ["replace", "merge"] as const;

export const ImportDictionaryQuery = z.object({
  baseVersion: BaseVersion,
  mode: z.enum(DICTIONARY_MODES, { error: "mode is replace or merge." }).default("replace").meta({
    description:
      "replace (default): the file becomes the panel's whole list; biomarkers not in it are removed. merge: rows update the biomarkers with the same code and add new ones; others stay.",
  }),
});

export const PanelVersionsQuery = z.object({
  cursor: z.string().regex(/^\d+$/, "cursor is the nextCursor of the previous page.").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// Answers

export const BiomarkerJson = responseShape(
  "Biomarker",
  z.object({
    id: Id.describe("Stable while its code stays the same."),
    code: z.string().describe("Unique in the panel: lower-case letters, digits and _ (1–40)."),
    label: z.string(),
    loinc: z.string().nullable(),
    specimen: z.string().nullable(),
    unit: z.string().describe("UCUM unit as UCUM spells it; empty for unitless values."),
    unitName: z.string().describe("UCUM's name of the unit (“milligram per liter”)."),
    valueType: z.enum(VALUE_TYPES),
    categories: z
      .array(CategoryJson)
      .describe("The coded answers of a `category` biomarker, in order; always present, `[]` for every other value type."),
    plausibleMin: z.number().nullable(),
    plausibleMax: z.number().nullable(),
    cutoffs: z
      .array(z.object({ label: z.string(), operator: z.enum(CUTOFF_OPERATORS), value: z.number() }))
      .describe("Named cut-offs in the biomarker's unit."),
    molarMass: z.number().nullable().describe("g/mol, for mass ↔ molar conversion."),
    unitConventions: z
      .array(z.object({ unit: z.string(), factor: z.number(), note: z.string() }))
      .describe("Conversions UCUM cannot do: value in the biomarker's unit = value in `unit` × `factor`."),
    aliases: z.array(z.string()),
    description: z.string(),
    position: Count.describe("Order in the panel, from 0."),
  }),
);

export const BiomarkerChangeJson = responseShape(
  "BiomarkerChange",
  BiomarkerJson.extend({ panelVersion: Count }).describe(
    "The biomarker as saved, and the panel version the change made (send it as the next baseVersion).",
  ),
);

export const PanelSummaryJson = responseShape(
  "PanelSummary",
  z.object({ id: Id, name: z.string(), description: z.string(), version: Count, biomarkerCount: Count, updatedAt: IsoTime }),
);

export const PanelListJson = responseShape("PanelList", Paged(PanelSummaryJson).describe("The workspace's panels, by name."));

export const PanelJson = responseShape(
  "Panel",
  z.object({
    id: Id,
    name: z.string(),
    description: z.string(),
    version: Count.describe("Send it back as baseVersion when editing; a stale one answers 409."),
    createdBy: Id.describe("The user who created the panel."),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    biomarkers: z.array(BiomarkerJson),
  }),
);

export const PanelVersionListJson = responseShape(
  "PanelVersionList",
  Paged(VersionEntryJson).describe("The panel's versions, newest first; nextCursor is the `cursor` for the next page."),
);

export const PanelVersionJson = responseShape(
  "PanelVersion",
  VersionEntryJson.extend({ panelId: Id, name: z.string(), description: z.string(), biomarkers: z.array(BiomarkerJson) }).describe(
    "The panel as it was at one version.",
  ),
);

export const DictionaryImportJson = responseShape(
  "DictionaryImport",
  z.object({
    mode: z.enum(DICTIONARY_MODES),
    changed: z.boolean().describe("False when the file matched the panel already; no version was made."),
    added: z.array(z.string()).describe("Codes added."),
    updated: z.array(z.string()).describe("Codes whose definition changed."),
    removed: z.array(z.string()).describe("Codes removed (replace mode)."),
    unchanged: Count,
    panel: PanelJson,
  }),
);

function balancedParentheses(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "(") depth += 1;
    if (char === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

export const PanelConflictJson = responseShape(
  "PanelConflict",
  StaleVersionBody(PanelJson).describe("A stale baseVersion: `details[0].current` is the panel as it now is; nothing was saved."),
);
