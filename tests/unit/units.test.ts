import { describe, expect, it } from "vitest";
import { checkUnit, conversionFactor, convertValue, normaliseUnit } from "#app/domain/units.ts";

describe("unit harmonisation", () => {
  it("converts hs-CRP from mg/dL to mg/L (×10), as UCUM says", () => {
    expect(convertValue(0.3, "mg/dL", "mg/L")).toBeCloseTo(3, 12);
    const conversion = conversionFactor("mg/dL", "mg/L");
    expect(conversion).toMatchObject({ ok: true, factor: 10, kind: "ucum" });
  });

  it("converts glucose from mg/dL to mmol/L with the molar mass of glucose", () => {
    const conversion = conversionFactor("mg/dL", "mmol/L", { molarMass: 180.16 });
    expect(conversion.ok && conversion.kind).toBe("molar");
    expect(convertValue(100, "mg/dL", "mmol/L", { molarMass: 180.16 })).toBeCloseTo(100 / 18.016, 6);
  });

  it("refuses a mass ↔ molar conversion without a molar mass, and says why", () => {
    const conversion = conversionFactor("mg/dL", "mmol/L");
    expect(conversion.ok).toBe(false);
    expect(!conversion.ok && conversion.message).toMatch(/molar mass/);
  });

  it("refuses units that measure different things", () => {
    const conversion = conversionFactor("kg/m2", "mg/L");
    expect(conversion).toMatchObject({ ok: false });
    expect(!conversion.ok && conversion.message).toMatch(/different things/);
  });

  it("uses a biomarker's named convention for arbitrary units (insulin pmol/L → µIU/mL)", () => {
    const context = { conventions: [{ unit: "pmol/L", factor: 1 / 6, note: "1 µIU/mL = 6.0 pmol/L (assay convention)" }] };
    const conversion = conversionFactor("pmol/L", "u[IU]/mL", context);
    expect(conversion).toMatchObject({ ok: true, kind: "convention" });
    expect(convertValue(60, "pmol/L", "u[IU]/mL", context)).toBeCloseTo(10, 12);
  });

  it("needs no conversion for the same unit, however it is spelt", () => {
    expect(conversionFactor("µIU/mL", "u[IU]/mL")).toMatchObject({ ok: true, factor: 1, kind: "identity" });
    expect(conversionFactor("kg/m²", "kg/m2")).toMatchObject({ ok: true, factor: 1 });
  });

  it("normalises micro signs and superscripts to UCUM spelling", () => {
    expect(normaliseUnit(" µg/L ")).toBe("ug/L");
    expect(normaliseUnit("kg/m²")).toBe("kg/m2");
    expect(normaliseUnit("μIU/mL")).toBe("u[IU]/mL");
  });

  it("accepts UCUM units and explains a unit it does not know", () => {
    expect(checkUnit("pg/mL")).toMatchObject({ valid: true });
    expect(checkUnit("mmol/L")).toMatchObject({ valid: true });
    const bad = checkUnit("furlongs/fortnight");
    expect(bad.valid).toBe(false);
    expect(!bad.valid && bad.message).toMatch(/not a UCUM unit/);
  });

  it("converts triglycerides mg/dL → mmol/L with the triolein molar mass (÷88.57)", () => {
    expect(convertValue(150, "mg/dL", "mmol/L", { molarMass: 885.7 })).toBeCloseTo(150 / 88.57, 3);
  });
});
