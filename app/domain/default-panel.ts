/**
 * The demo's default biomarker panel for immuno-metabolic depression
 * (docs/domain.md): LOINC codes, UCUM units, plausible ranges and cut-offs in use.
 * A new workspace can start its panel from this.
 */
import type { Category } from "./categories.ts";
import type { Cutoff, UnitConvention, ValueType } from "./panels.ts";

export interface BiomarkerDefinition {
  code: string;
  label: string;
  loinc: string | null;
  specimen: string | null;
  unit: string;
  valueType: ValueType;
  /** The coded answers of a category biomarker, in order; empty for every other value type. */
  categories: Category[];
  plausibleMin: number | null;
  plausibleMax: number | null;
  cutoffs: Cutoff[];
  molarMass: number | null;
  unitConventions: UnitConvention[];
  aliases: string[];
  description: string;
}

const numeric = (b: Partial<BiomarkerDefinition> & Pick<BiomarkerDefinition, "code" | "label" | "unit">): BiomarkerDefinition => ({
  loinc: null,
  specimen: "serum",
  valueType: "numeric",
  categories: [],
  plausibleMin: null,
  plausibleMax: null,
  cutoffs: [],
  molarMass: null,
  unitConventions: [],
  aliases: [],
  description: "",
  ...b,
});

export const DEFAULT_PANEL_NAME = "Immuno-metabolic core panel";
export const DEFAULT_PANEL_DESCRIPTION =
  "Inflammatory and metabolic markers used to profile immuno-metabolic depression (Milaneschi et al., Biol Psychiatry 2020).";

export const DEFAULT_BIOMARKERS: BiomarkerDefinition[] = [
  numeric({
    code: "hs_crp",
    label: "hs-CRP",
    loinc: "30522-7",
    unit: "mg/L",
    plausibleMin: 0,
    plausibleMax: 300,
    cutoffs: [
      { label: "low", operator: "<", value: 1 },
      { label: "high", operator: ">", value: 3 },
      { label: "suggests acute infection", operator: ">=", value: 10 },
    ],
    aliases: ["crp", "hscrp", "hs-crp", "c-reactive protein"],
    description: "High-sensitivity C-reactive protein. Some labs report mg/dL (×10 → mg/L).",
  }),
  numeric({
    code: "il6",
    label: "IL-6",
    loinc: "26881-3",
    unit: "pg/mL",
    plausibleMin: 0,
    plausibleMax: 1000,
    cutoffs: [{ label: "raised (assay-dependent)", operator: ">=", value: 6.4 }],
    aliases: ["il-6", "interleukin 6", "interleukin-6"],
  }),
  numeric({
    code: "tnf_alpha",
    label: "TNF-α",
    loinc: "3074-2",
    unit: "pg/mL",
    plausibleMin: 0,
    plausibleMax: 500,
    cutoffs: [{ label: "raised (assay-dependent)", operator: ">", value: 2.8 }],
    aliases: ["tnf", "tnf-a", "tnfa", "tnf-alpha"],
  }),
  numeric({
    code: "leptin",
    label: "Leptin",
    loinc: "21365-2",
    unit: "ng/mL",
    plausibleMin: 0,
    plausibleMax: 300,
    description: "Reference ranges are sex-specific.",
  }),
  numeric({
    code: "insulin",
    label: "Insulin, fasting",
    loinc: "27873-9",
    unit: "u[IU]/mL",
    plausibleMin: 0,
    plausibleMax: 300,
    cutoffs: [
      { label: "below reference", operator: "<", value: 3 },
      { label: "above reference", operator: ">", value: 25 },
    ],
    unitConventions: [{ unit: "pmol/L", factor: 1 / 6, note: "1 µIU/mL = 6.0 pmol/L (assay convention)" }],
    aliases: ["fasting insulin", "insulin_fasting"],
  }),
  numeric({
    code: "glucose",
    label: "Glucose, fasting",
    loinc: "1558-6",
    specimen: "plasma",
    unit: "mmol/L",
    plausibleMin: 1,
    plausibleMax: 40,
    cutoffs: [{ label: "metabolic-syndrome criterion", operator: ">=", value: 5.6 }],
    molarMass: 180.16,
    aliases: ["fasting glucose", "glucose_fasting", "fpg"],
  }),
  numeric({
    code: "homa_ir",
    label: "HOMA-IR",
    loinc: null,
    specimen: null,
    unit: "",
    plausibleMin: 0,
    plausibleMax: 100,
    cutoffs: [{ label: "insulin resistant", operator: ">=", value: 2.9 }],
    aliases: ["homa", "homa-ir"],
    description: "Derived: insulin (µIU/mL) × glucose (mmol/L) / 22.5.",
  }),
  numeric({
    code: "triglycerides",
    label: "Triglycerides",
    loinc: "2571-8",
    unit: "mmol/L",
    plausibleMin: 0,
    plausibleMax: 50,
    cutoffs: [{ label: "metabolic-syndrome criterion", operator: ">=", value: 1.7 }],
    molarMass: 885.7,
    aliases: ["tg", "trig"],
    description: "Molar mass as triolein (≈885.7 g/mol): mg/dL ÷ 88.57 → mmol/L.",
  }),
  numeric({
    code: "hdl",
    label: "HDL cholesterol",
    loinc: "2085-9",
    unit: "mmol/L",
    plausibleMin: 0,
    plausibleMax: 5,
    cutoffs: [
      { label: "low (men)", operator: "<", value: 1.03 },
      { label: "low (women)", operator: "<", value: 1.29 },
    ],
    molarMass: 386.65,
    aliases: ["hdl-c", "hdl_c", "hdl cholesterol"],
  }),
  numeric({
    code: "bmi",
    label: "BMI",
    loinc: "39156-5",
    specimen: null,
    unit: "kg/m2",
    plausibleMin: 10,
    plausibleMax: 80,
    cutoffs: [{ label: "obese", operator: ">=", value: 30 }],
    aliases: ["body mass index"],
  }),
  numeric({
    code: "waist",
    label: "Waist circumference",
    loinc: "8280-0",
    specimen: null,
    unit: "cm",
    plausibleMin: 40,
    plausibleMax: 200,
    cutoffs: [
      { label: "raised (men)", operator: ">", value: 102 },
      { label: "raised (women)", operator: ">", value: 88 },
    ],
    aliases: ["waist circumference", "wc"],
    description: "LOINC code not verified against the current release.",
  }),
];
