import { describe, expect, it } from "vitest";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { normaliseName, planColumns, splitHeaderUnit } from "#app/domain/dataset-columns.ts";
import { checkDelimiter, DatasetFileError, decodeCsvText, detectFormat, firstInvalidUtf8 } from "#app/domain/dataset-files.ts";
import { summariseNumbers, summariseText } from "#app/domain/dataset-summary.ts";
import { DatasetTableBuilder } from "#app/domain/dataset-table.ts";
import { harmonise, parseNumber } from "#app/domain/dataset-values.ts";

const panel = DEFAULT_BIOMARKERS;

function refusal(work: () => unknown): DatasetFileError {
  try {
    work();
  } catch (error) {
    if (error instanceof DatasetFileError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("reading units from column headers", () => {
  it.each([
    ["CRP (mg/dL)", "CRP", "mg/dL"],
    ["crp_mg_dl", "crp", "mg/dL"],
    ["CRP_mgdl", "CRP", "mg/dL"],
    ["Glucose [mmol/l]", "Glucose", "mmol/L"],
    ["glucose mmol/L", "glucose", "mmol/L"],
    ["Insulin (µIU/mL)", "Insulin", "u[IU]/mL"],
    ["BMI (kg/m²)", "BMI", "kg/m2"],
    ["waist_cm", "waist", "cm"],
  ])("%s → %s in %s", (header, name, unit) => {
    expect(splitHeaderUnit(header)).toEqual({ name, unit });
  });

  it("leaves a header without a unit alone", () => {
    expect(splitHeaderUnit("HAM-D (week 12)")).toEqual({ name: "HAM-D (week 12)", unit: null });
    expect(splitHeaderUnit("hdl_c")).toEqual({ name: "hdl_c", unit: null });
  });

  it("normalises names so that hs-CRP, hs_crp and HsCRP are one", () => {
    expect(new Set(["hs-CRP", "hs_crp", "HsCRP", "hs crp"].map(normaliseName)).size).toBe(1);
  });
});

describe("matching columns to the panel", () => {
  it("matches by code, label and alias, finds id and arm, and plans conversions", () => {
    const plans = planColumns(["participant_id", "Arm", "CRP (mg/dL)", "Fasting glucose (mg/dL)", "bmi", "hamd"], panel);
    const by = Object.fromEntries(plans.map((p) => [p.name, p]));
    expect(by["participant_id"].role).toBe("participant_id");
    expect(by["Arm"].role).toBe("arm");
    expect(by["CRP (mg/dL)"]).toMatchObject({ biomarker: "hs_crp", matchedBy: "alias", unit: "mg/L", convertedFrom: "mg/dL", factor: 10 });
    expect(by["Fasting glucose (mg/dL)"]).toMatchObject({ biomarker: "glucose", unit: "mmol/L", convertedFrom: "mg/dL" });
    expect(by["Fasting glucose (mg/dL)"].factor).toBeCloseTo(1 / 18.016, 6);
    expect(by["bmi"]).toMatchObject({ biomarker: "bmi", matchedBy: "code", factor: null, convertedFrom: null, unit: "kg/m2" });
    expect(by["bmi"].conversion).toMatch(/no unit in the file/);
    expect(by["hamd"]).toMatchObject({ role: "value", biomarker: null });
  });

  it("lets the mapping override every guess", () => {
    const plans = planColumns(["code", "marker", "crp"], panel, {
      code: { role: "participant_id" },
      marker: { biomarker: "insulin", unit: "pmol/L" },
      crp: { role: "ignore" },
    });
    expect(plans[0].role).toBe("participant_id");
    expect(plans[1]).toMatchObject({ biomarker: "insulin", convertedFrom: "pmol/L", matchedBy: "mapping" });
    expect(plans[1].conversion).toMatch(/convention/);
    expect(plans[2].ignored).toBe(true);
  });

  it("puts an unconvertible unit on the column as its problem", () => {
    const [, crp] = planColumns(["id", "CRP (kg/m2)"], panel);
    expect(crp.problem).toMatch(/Cannot convert kg\/m2 to mg\/L/);
  });

  it("refuses a header with a repeated or missing name, or too many columns", () => {
    expect(refusal(() => planColumns(["id", "crp", "crp"], panel)).message).toMatch(/twice/);
    expect(refusal(() => planColumns(["id", " ", "crp"], panel)).where).toEqual({ row: 1, column: "#2" });
    expect(
      refusal(() =>
        planColumns(
          Array.from({ length: 501 }, (_, i) => `c${i}`),
          panel,
        ),
      ).message,
    ).toMatch(/at most 500/);
  });
});

describe("reading numbers", () => {
  it("reads dot decimals, exponents and the usual spellings of missing", () => {
    expect(parseNumber("1.5")).toEqual({ ok: true, value: 1.5 });
    expect(parseNumber(" -2e-3 ")).toEqual({ ok: true, value: -0.002 });
    expect(parseNumber(".5")).toEqual({ ok: true, value: 0.5 });
    for (const missing of ["", "NA", "n/a", "NaN", ".", "null"]) expect(parseNumber(missing)).toEqual({ ok: true, value: null });
  });

  it("refuses decimal commas, thousands separators and censored values with the reason", () => {
    expect(parseNumber("1,5")).toMatchObject({ ok: false, reason: expect.stringMatching(/decimal comma/) });
    expect(parseNumber("1,500")).toMatchObject({ ok: false, reason: expect.stringMatching(/thousands/) });
    expect(parseNumber("<0.2")).toMatchObject({ ok: false, reason: expect.stringMatching(/censored/) });
    expect(parseNumber("high")).toMatchObject({ ok: false, reason: expect.stringMatching(/not a number/) });
  });

  it("harmonises without float noise", () => {
    expect(harmonise(0.3, 10)).toBe(3);
    expect(harmonise(7, null)).toBe(7);
  });
});

describe("checking the file itself", () => {
  it("finds the first byte that is not UTF-8", () => {
    expect(firstInvalidUtf8(Buffer.from("héllo €"))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a UTF-16 surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
  });

  it("strips a BOM and refuses UTF-16", () => {
    expect(decodeCsvText(Buffer.from("\uFEFFa,b\n1,2"))).toBe("a,b\n1,2");
    expect(refusal(() => decodeCsvText(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).message).toMatch(/UTF-16/);
  });

  it("says when a file looks semicolon- or tab-separated", () => {
    expect(refusal(() => checkDelimiter("id;crp\n1;2")).message).toMatch(/looks semicolon-separated/);
    expect(refusal(() => checkDelimiter("id\tcrp\n1\t2")).message).toMatch(/looks tab-separated/);
    expect(() => checkDelimiter('id,"a;b"\n1,2')).not.toThrow();
  });

  it("tells CSV from XLSX by content and type, and refuses anything else with 415", () => {
    expect(detectFormat(Buffer.from("a,b"), "text/csv", "x.csv")).toBe("csv");
    expect(detectFormat(Buffer.from([0x50, 0x4b, 3, 4]), "application/octet-stream", "x")).toBe("xlsx");
    expect(refusal(() => detectFormat(Buffer.from("x"), "image/png", "x.png")).status).toBe(415);
  });
});

describe("building the harmonised table", () => {
  const plans = planColumns(["participant_id", "arm", "CRP (mg/dL)", "note"], panel);

  it("converts, flags implausible values without dropping them, and types loose columns", () => {
    const builder = new DatasetTableBuilder(plans, "participant", 4);
    builder.add({ row: 2, cells: ["P1", "placebo", "0.3", "ok"] });
    builder.add({ row: 3, cells: ["P2", "placebo", "40", ""] });
    builder.add({ row: 4, cells: ["", "", "", ""] });
    const table = builder.finish();
    expect(table.rows.map((r) => r.values[2])).toEqual([3, 400]);
    expect(table.columns[2].flaggedCount).toBe(1);
    expect(table.warnings[0]).toMatchObject({ column: "CRP (mg/dL)", rows: [3] });
    expect(table.warnings.at(-1)!.message).toMatch(/1 empty row was skipped/);
    expect(table.columns[3].valueType).toBe("text");
  });

  it("refuses duplicate participant ids and ragged rows, naming the row", () => {
    const builder = new DatasetTableBuilder(plans, "participant", 4);
    builder.add({ row: 2, cells: ["P1", "a", "1", ""] });
    expect(refusal(() => builder.add({ row: 3, cells: ["P1", "a", "1", ""] })).where).toEqual({ row: 3, column: "participant_id" });
    expect(refusal(() => builder.add({ row: 4, cells: ["P9", "a"] })).message).toMatch(/Row 4 has 2 cells/);
  });

  it("lets summary-level data go without participant ids", () => {
    const summaryPlans = planColumns(["arm", "n", "crp_mean"], panel, {}, "summary");
    const builder = new DatasetTableBuilder(summaryPlans, "summary", 3);
    builder.add({ row: 2, cells: ["placebo", "30", "2.1"] });
    expect(builder.finish().columns.map((c) => c.valueType)).toEqual(["text", "numeric", "numeric"]);
  });
});

describe("column summaries", () => {
  it("computes n, missing, mean, SD, min, max and a histogram", () => {
    const s = summariseNumbers("x", [1, 2, 3, 4, null, "text"]);
    expect(s).toMatchObject({ n: 4, missing: 2, mean: 2.5, min: 1, max: 4 });
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("counts the commonest text values", () => {
    expect(summariseText("arm", ["a", "b", "a", null]).top).toEqual([
      { value: "a", count: 2 },
      { value: "b", count: 1 },
    ]);
  });

  it("lists the same commonest values, ties in alphabetical order, however the rows are ordered", () => {
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const values = Array.from({ length: 2000 }, () => `site-${Math.floor(next() * next() * 40)}`);
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const expected = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([value, count]) => ({ value, count }));
    expect(summariseText("site", values).top).toEqual(expected);
    expect(summariseText("site", [...values].reverse()).top).toEqual(expected);
    expect(summariseText("id", ["P3", "P1", "P2"]).top.map((t) => t.value)).toEqual(["P1", "P2", "P3"]);
  });
});

describe("finishing a large table step by step", () => {
  it("gives the same table as finishing it in one go, pausing between columns", () => {
    const plans = planColumns(["participant_id", "arm", "CRP (mg/dL)", "score"], panel);
    const fill = (builder: DatasetTableBuilder) => {
      for (let i = 0; i < 500; i++) builder.add({ row: i + 2, cells: [`P${i}`, i % 2 ? "a" : "b", String(i / 100), String(i % 7)] });
      return builder;
    };
    const whole = fill(new DatasetTableBuilder(plans, "participant", 4)).finish();
    const steps = fill(new DatasetTableBuilder(plans, "participant", 4)).finishSteps();
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBeGreaterThan(1);
    expect(step.value).toEqual(whole);
  });
});
