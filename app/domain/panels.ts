/** The fixed values and stored shapes of a panel's biomarkers: value types, cut-offs, unit conventions. */
export const VALUE_TYPES = ["numeric", "integer", "text", "category"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** A named cut-off, e.g. CRP "high" when > 3 mg/L (in the biomarker's unit). */
export interface Cutoff {
  label: string;
  operator: "<" | "<=" | ">" | ">=";
  value: number;
}

/**
 * A conversion UCUM cannot do (arbitrary units such as insulin µIU/mL ↔ pmol/L):
 * value in the biomarker's unit = value in `unit` × `factor`. Shown to users as a convention.
 */
export interface UnitConvention {
  unit: string;
  factor: number;
  note: string;
}
