/**
 * The columns of a panel's data dictionary (CSV, one row per biomarker), in
 * file order, with what each holds. The page, the OpenAPI document and the
 * parser all read this list, so the documentation is the format.
 */
export interface DictionaryColumn {
  /** The header as written in the file. */
  name: string;
  /** The biomarker field it fills. */
  field:
    | "code"
    | "label"
    | "loinc"
    | "specimen"
    | "unit"
    | "valueType"
    | "categories"
    | "plausibleMin"
    | "plausibleMax"
    | "cutoffs"
    | "molarMass"
    | "unitConventions"
    | "aliases"
    | "description";
  required: boolean;
  description: string;
  example: string;
}

export const DICTIONARY_COLUMNS: DictionaryColumn[] = [
  {
    name: "code",
    field: "code",
    required: true,
    description: "Short machine name, unique in the panel: lower-case letters, digits and _ (1–40).",
    example: "hs_crp",
  },
  { name: "label", field: "label", required: true, description: "The name people read.", example: "hs-CRP" },
  { name: "loinc", field: "loinc", required: false, description: "LOINC code with its check digit; empty if none.", example: "30522-7" },
  {
    name: "specimen",
    field: "specimen",
    required: false,
    description: "What is sampled (serum, plasma…); empty if none.",
    example: "serum",
  },
  {
    name: "unit",
    field: "unit",
    required: false,
    description: "UCUM unit; empty for unitless values. µ may be written as u.",
    example: "mg/L",
  },
  {
    name: "value_type",
    field: "valueType",
    required: false,
    description: "numeric (default), integer, text or category.",
    example: "numeric",
  },
  {
    name: "categories",
    field: "categories",
    required: false,
    description:
      "For value type category only: the coded answers in REDCap's syntax, code, label pairs separated by | (a label may hold commas); empty otherwise.",
    example: "1, Male | 2, Female",
  },
  {
    name: "plausible_min",
    field: "plausibleMin",
    required: false,
    description: "Lowest plausible value, in the unit; empty if none.",
    example: "0",
  },
  {
    name: "plausible_max",
    field: "plausibleMax",
    required: false,
    description: "Highest plausible value, in the unit; empty if none.",
    example: "300",
  },
  {
    name: "cutoffs",
    field: "cutoffs",
    required: false,
    description: "Named cut-offs in the unit, separated by ; — label, operator (<, <=, >, >=), number.",
    example: "low<1; high>3",
  },
  {
    name: "molar_mass",
    field: "molarMass",
    required: false,
    description: "g/mol, for mass ↔ molar conversion; empty if none.",
    example: "180.16",
  },
  {
    name: "unit_conventions",
    field: "unitConventions",
    required: false,
    description:
      "Conversions UCUM cannot do, separated by ; — unit*factor (note): a value in that unit × factor = the value in this biomarker's unit.",
    example: "pmol/L*0.1667 (1 µIU/mL = 6.0 pmol/L)",
  },
  {
    name: "aliases",
    field: "aliases",
    required: false,
    description: "Other column names meaning this biomarker in uploaded files, separated by ;.",
    example: "crp; hscrp",
  },
  {
    name: "description",
    field: "description",
    required: false,
    description: "Free text.",
    example: "High-sensitivity C-reactive protein.",
  },
];

export const DICTIONARY_MAX_BYTES = 1024 * 1024;

/** A field's column name, for pointing at a problem in the file. */
export function columnOfField(field: string): string {
  return DICTIONARY_COLUMNS.find((c) => c.field === field)?.name ?? field;
}
