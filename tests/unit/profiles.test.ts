import { describe, expect, it } from "vitest";
import { datasetColumn as column } from "#tests/support/dataset-columns.ts";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { deriveDatasetOutcomes } from "#app/domain/participant-outcomes.ts";
import { compareSubgroupWithProfile, planProfile } from "#app/domain/profile-plan.ts";
import { type CriteriaGroup, describeCriteria, evaluateCompiled } from "#app/domain/profiles.ts";

const labelOf = (code: string) => DEFAULT_BIOMARKERS.find((b) => b.code === code)?.label ?? code;
const crpAbove3: CriteriaGroup = { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] };
const immunoMetabolic: CriteriaGroup = {
  op: "and",
  items: [
    { kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" },
    { kind: "biomarker", code: "bmi", operator: ">=", value: 30, unit: "kg/m2" },
  ],
};

describe("a profile in plain language", () => {
  it("reads as the criteria with the panel's labels and units", () => {
    expect(describeCriteria(immunoMetabolic, labelOf)).toBe("hs-CRP > 3 mg/L and BMI ≥ 30 kg/m2");
  });

  it("puts nested groups in parentheses", () => {
    const criteria: CriteriaGroup = {
      op: "or",
      items: [
        { kind: "biomarker", code: "hs_crp", operator: "<", value: 1, unit: "mg/L" },
        {
          op: "and",
          items: [
            { kind: "attribute", name: "energy_score", operator: ">=", value: 6 },
            { kind: "biomarker", code: "bmi", operator: ">=", value: 30, unit: "kg/m2" },
          ],
        },
      ],
    };
    expect(describeCriteria(criteria, labelOf)).toBe("hs-CRP < 1 mg/L or (energy_score ≥ 6 and BMI ≥ 30 kg/m2)");
  });
});

describe("applying a profile to a dataset", () => {
  const columns = [
    column("participant_id", "participant_id"),
    column("arm", "arm"),
    column("CRP", "biomarker", "hs_crp", "mg/dL"),
    column("BMI", "biomarker", "bmi", "kg/m2"),
  ];

  it("converts the threshold once into the column's unit", () => {
    const plan = planProfile(crpAbove3, columns, DEFAULT_BIOMARKERS);
    expect(plan.evaluable).toBe(true);
    if (!plan.evaluable) return;
    // 3 mg/L is 0.3 mg/dL: 0.31 mg/dL matches, 0.3 does not (strictly greater).
    expect(evaluateCompiled(plan.root, ["P1", "a", 0.31, 25])).toBe(true);
    expect(evaluateCompiled(plan.root, ["P1", "a", 0.3, 25])).toBe(false);
    expect(plan.conversions.join(" ")).toMatch(/0\.3 mg\/dL/);
  });

  it("leaves a participant undecided when a value it needs is missing, unless another criterion already excludes them", () => {
    const plan = planProfile(immunoMetabolic, columns, DEFAULT_BIOMARKERS);
    if (!plan.evaluable) throw new Error("not evaluable");
    expect(evaluateCompiled(plan.root, ["P1", "a", 0.5, null])).toBeNull();
    expect(evaluateCompiled(plan.root, ["P1", "a", 0.1, null])).toBe(false);
    expect(evaluateCompiled(plan.root, ["P1", "a", 0.5, 31])).toBe(true);
  });

  it("says which biomarker is missing, and which unit cannot be converted", () => {
    const noBmi = planProfile(immunoMetabolic, columns.slice(0, 3), DEFAULT_BIOMARKERS);
    expect(noBmi).toMatchObject({
      evaluable: false,
      problems: [{ reason: "biomarker_missing", message: "No column for BMI in this dataset." }],
    });
    const wrongUnit: CriteriaGroup = { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "kg" }] };
    const plan = planProfile(wrongUnit, columns, DEFAULT_BIOMARKERS);
    expect(plan).toMatchObject({ evaluable: false, problems: [{ reason: "unit_not_convertible" }] });
  });

  it("derives HOMA-IR from fasting insulin and glucose when it was not measured", () => {
    const homa: CriteriaGroup = { op: "and", items: [{ kind: "biomarker", code: "homa_ir", operator: ">=", value: 2.9, unit: "" }] };
    const withInputs = [column("insulin", "biomarker", "insulin", "u[IU]/mL"), column("glucose", "biomarker", "glucose", "mmol/L")];
    const plan = planProfile(homa, withInputs, DEFAULT_BIOMARKERS);
    if (!plan.evaluable) throw new Error("not evaluable");
    // 12 µIU/mL × 5.6 mmol/L / 22.5 = 2.99
    expect(evaluateCompiled(plan.root, [12, 5.6])).toBe(true);
    expect(evaluateCompiled(plan.root, [10, 5.6])).toBe(false);
    expect(planProfile(homa, withInputs.slice(0, 1), DEFAULT_BIOMARKERS)).toMatchObject({
      evaluable: false,
      problems: [{ reason: "biomarker_missing" }],
    });
  });

  it("matches attributes by column name, text with =", () => {
    const criteria: CriteriaGroup = {
      op: "and",
      items: [
        { kind: "attribute", name: "Energy score", operator: ">=", value: 6 },
        { kind: "attribute", name: "sex", operator: "=", value: "F" },
      ],
    };
    const plan = planProfile(
      criteria,
      [column("energy_score", "value"), { ...column("sex", "value"), valueType: "text" }],
      DEFAULT_BIOMARKERS,
    );
    if (!plan.evaluable) throw new Error("not evaluable");
    expect(evaluateCompiled(plan.root, [7, "f"])).toBe(true);
    expect(evaluateCompiled(plan.root, [7, "M"])).toBe(false);
  });
});

describe("a reported subgroup against the profile it is mapped to", () => {
  it("shows a different cut-off", () => {
    const c = compareSubgroupWithProfile("hs-CRP > 5 mg/L", crpAbove3, DEFAULT_BIOMARKERS);
    expect(c.matches).toBe(false);
    expect(c.summary).toBe("Cut-off differs: the subgroup is hs-CRP > 5 mg/L, the profile hs-CRP > 3 mg/L.");
  });

  it("agrees when the cut-off is the same in another unit, and notes a different boundary", () => {
    expect(compareSubgroupWithProfile("CRP > 0.3 mg/dL", crpAbove3, DEFAULT_BIOMARKERS).matches).toBe(true);
    expect(compareSubgroupWithProfile("CRP ≥ 3 mg/L", crpAbove3, DEFAULT_BIOMARKERS).summary).toMatch(/^Boundary differs/);
  });

  it("names conditions only one side has", () => {
    const c = compareSubgroupWithProfile("BMI > 25 kg/m2 and CRP ≥ 3 mg/L", immunoMetabolic, DEFAULT_BIOMARKERS);
    expect(c.differences).toEqual([
      "Cut-off differs: the subgroup is BMI > 25 kg/m2, the profile BMI ≥ 30 kg/m2.",
      "Boundary differs: the subgroup is hs-CRP ≥ 3 mg/L, the profile hs-CRP > 3 mg/L.",
    ]);
    expect(compareSubgroupWithProfile("CRP > 3 mg/L", immunoMetabolic, DEFAULT_BIOMARKERS).differences).toEqual([
      "The profile also requires BMI ≥ 30 kg/m2, which the subgroup does not restrict.",
    ]);
  });
});

describe("outcomes read from participant-level rows", () => {
  const outcomes = [
    { id: "change", name: "HAM-D 17 change from baseline", kind: "continuous" as const },
    { id: "response", name: "Response (≥50% drop in depression score)", kind: "binary" as const },
  ];

  it("takes the drop from baseline to the latest follow-up, and a 0/1 column named like the outcome", () => {
    const columns = [
      column("hamd_baseline", "value"),
      column("hamd_week4", "value"),
      column("hamd_week12", "value"),
      column("response", "value"),
    ];
    const derived = deriveDatasetOutcomes(columns, outcomes);
    expect(derived.map((d) => d.definition)).toEqual([
      "hamd_baseline − hamd_week12 (positive = the score fell)",
      "column “response” (1 = event)",
    ]);
    expect(derived[0].value([24, 20, 10, 1])).toBe(14);
    expect(derived[1].value([24, 20, 10, "yes"])).toBe(1);
    expect(derived[0].value([24, 20, null, 1])).toBeNull();
  });

  it("gives nothing for an outcome it has no columns for", () => {
    expect(deriveDatasetOutcomes([column("crp", "biomarker", "hs_crp", "mg/L")], outcomes)).toEqual([]);
  });
});
