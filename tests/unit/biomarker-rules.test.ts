import { describe, expect, it } from "vitest";
import {
  checkLoinc,
  describeConvention,
  describeCutoff,
  describeRange,
  formatCutoffs,
  formatUnitConventions,
  parseCutoffs,
  parseUnitConventions,
} from "#app/domain/biomarker-text.ts";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { BiomarkerInput, UpdatePanelInput } from "#app/schemas/panels.ts";

const issues = (input: unknown) => {
  const result = BiomarkerInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
};

describe("cut-off text", () => {
  it("reads labels with spaces, every operator and decimals", () => {
    expect(parseCutoffs("low<1; high >3 ; suggests acute infection>=10; low (women)<=1.29;")).toEqual({
      ok: true,
      value: [
        { label: "low", operator: "<", value: 1 },
        { label: "high", operator: ">", value: 3 },
        { label: "suggests acute infection", operator: ">=", value: 10 },
        { label: "low (women)", operator: "<=", value: 1.29 },
      ],
    });
  });

  it("explains a cut-off without a label, operator or number", () => {
    for (const text of [">3", "high 3", "high>three", "high=>3"]) expect(parseCutoffs(text).ok, text).toBe(false);
  });

  it("writes what it reads", () => {
    const cutoffs = DEFAULT_BIOMARKERS[0].cutoffs;
    expect(parseCutoffs(formatCutoffs(cutoffs))).toEqual({ ok: true, value: cutoffs });
  });

  it("says a cut-off in plain language", () => {
    expect(describeCutoff({ label: "high", operator: ">", value: 3 }, "mg/L")).toBe("high > 3 mg/L");
    expect(describeCutoff({ label: "obese", operator: ">=", value: 30 }, "kg/m2")).toBe("obese ≥ 30 kg/m2");
    expect(describeCutoff({ label: "insulin resistant", operator: ">=", value: 2.9 }, "")).toBe("insulin resistant ≥ 2.9");
  });
});

describe("unit convention text", () => {
  it("reads unit*factor (note), with units that hold a * themselves", () => {
    expect(parseUnitConventions("pmol/L*0.1667 (1 µIU/mL = 6.0 pmol/L (assay))")).toEqual({
      ok: true,
      value: [{ unit: "pmol/L", factor: 0.1667, note: "1 µIU/mL = 6.0 pmol/L (assay)" }],
    });
    expect(parseUnitConventions("10*9/L*2; mU/L*1")).toEqual({
      ok: true,
      value: [
        { unit: "10*9/L", factor: 2, note: "" },
        { unit: "mU/L", factor: 1, note: "" },
      ],
    });
    expect(parseUnitConventions("pmol/L times six").ok).toBe(false);
  });

  it("writes what it reads and says it as a convention", () => {
    const conventions = [{ unit: "pmol/L", factor: 1 / 6, note: "1 µIU/mL = 6.0 pmol/L" }];
    expect(parseUnitConventions(formatUnitConventions(conventions))).toEqual({ ok: true, value: conventions });
    expect(describeConvention(conventions[0], "u[IU]/mL")).toBe("1 pmol/L = 0.1667 u[IU]/mL (1 µIU/mL = 6.0 pmol/L), by convention");
  });
});

describe("plausible ranges and LOINC codes", () => {
  it("describes open and closed ranges", () => {
    expect(describeRange(0, 300, "mg/L")).toBe("0–300 mg/L");
    expect(describeRange(null, 5, "")).toBe("≤ 5");
    expect(describeRange(null, null, "mg/L")).toBe("—");
  });

  it("accepts every LOINC code of the default panel and catches a mistyped check digit", () => {
    for (const b of DEFAULT_BIOMARKERS) if (b.loinc) expect(checkLoinc(b.loinc), b.loinc).toEqual({ valid: true });
    expect(checkLoinc("30522-8")).toMatchObject({ valid: false, message: expect.stringContaining("30522-7") });
    expect(checkLoinc("CRP")).toMatchObject({ valid: false });
  });
});

describe("the biomarker rules", () => {
  const crp = { code: "hs_crp", label: "hs-CRP", unit: "mg/L" };

  it("accepts every biomarker of the default panel as it is", () => {
    for (const b of DEFAULT_BIOMARKERS) expect(issues(b), b.code).toEqual([]);
  });

  it("stores the unit as UCUM spells it", () => {
    expect(BiomarkerInput.parse({ ...crp, unit: "µIU/mL" }).unit).toBe("u[IU]/mL");
    expect(BiomarkerInput.parse({ ...crp, unit: "" }).unit).toBe("");
  });

  it("refuses a unit UCUM does not know, naming the field and passing on UCUM's suggestion", () => {
    expect(issues({ ...crp, unit: "mmHg" })).toEqual([{ field: "unit", message: "“mmHg” is not a UCUM unit (did you mean “mm[Hg]”?)." }]);
  });

  it("allows codes of lower-case letters, digits and _ up to 40 characters", () => {
    expect(issues({ ...crp, code: "il_6" })).toEqual([]);
    for (const code of ["IL6", "il-6", "", "a".repeat(41), "crp mg"]) expect(issues({ ...crp, code })[0]?.field, code).toBe("code");
  });

  it("checks cut-offs: a known operator and a finite value", () => {
    expect(issues({ ...crp, cutoffs: [{ label: "high", operator: "≥", value: 3 }] })[0].field).toBe("cutoffs.0.operator");
    expect(issues({ ...crp, cutoffs: [{ label: "high", operator: ">", value: Infinity }] })[0].field).toBe("cutoffs.0.value");
    expect(issues({ ...crp, cutoffs: [{ label: "a;b", operator: ">", value: 3 }] })[0].field).toBe("cutoffs.0.label");
  });

  it("wants the plausible minimum at or below the maximum", () => {
    expect(issues({ ...crp, plausibleMin: 3, plausibleMax: 3 })).toEqual([]);
    expect(issues({ ...crp, plausibleMin: 5, plausibleMax: 3 })).toEqual([
      { field: "plausibleMax", message: "The plausible maximum is below the plausible minimum." },
    ]);
  });

  it("checks conventions' units with UCUM and wants positive factors and molar masses", () => {
    expect(issues({ ...crp, unitConventions: [{ unit: "pmol/X", factor: 2 }] })[0].field).toBe("unitConventions.0.unit");
    expect(issues({ ...crp, unitConventions: [{ unit: "pmol/L", factor: 0 }] })[0].field).toBe("unitConventions.0.factor");
    expect(issues({ ...crp, molarMass: -1 })[0].field).toBe("molarMass");
  });

  it("reads numbers from form text and says when text is not a number", () => {
    expect(BiomarkerInput.parse({ ...crp, plausibleMin: "0.5", plausibleMax: "" })).toMatchObject({
      plausibleMin: 0.5,
      plausibleMax: null,
    });
    expect(issues({ ...crp, plausibleMin: "1,5" })[0]).toMatchObject({
      field: "plausibleMin",
      message: expect.stringContaining("dot for decimals"),
    });
  });

  it("asks for the base version of an edit", () => {
    expect(UpdatePanelInput.safeParse({ name: "x" }).success).toBe(false);
    expect(UpdatePanelInput.parse({ name: "x", baseVersion: "3" }).baseVersion).toBe(3);
  });
});
