import { describe, expect, it } from "vitest";
import { readRedcapRecords, fieldsFromDictionary } from "#app/domain/redcap-records.ts";
import { type BiomarkerRef, type ColumnMapping, firstProblem, planColumns } from "#app/domain/dataset-columns.ts";
import { DatasetFileError } from "#app/domain/dataset-files.ts";
import { DatasetTableBuilder, type HarmonisedTable } from "#app/domain/dataset-table.ts";
import { defaultVisitLabel, orderVisits, participantView } from "#app/domain/dataset-visits.ts";
import { deriveDatasetOutcomes } from "#app/domain/participant-outcomes.ts";
import { ColumnMappingInput } from "#app/schemas/datasets.ts";
import { recordsFixture } from "#tests/fixtures/make-redcap.ts";
import { ARM_LABELS, TRIAL } from "#tests/fixtures/redcap-records-corpus.ts";

const hsCrp: BiomarkerRef = {
  code: "hs_crp",
  label: "hs-CRP",
  unit: "mg/L",
  valueType: "numeric",
  plausibleMin: 0,
  plausibleMax: 300,
  molarMass: null,
  unitConventions: [],
  aliases: ["crp"],
};

/** The trial's export through the transform, the column planner and the table builder: what an upload stores. */
function importTrial(userMapping: ColumnMapping = {}): HarmonisedTable {
  const fields = fieldsFromDictionary(recordsFixture("dictionary.csv").toString("utf8"));
  const table = readRedcapRecords(recordsFixture("longitudinal.csv").toString("utf8"), fields, { repeats: "rows" });
  const mapping: ColumnMapping = { ...table.mapping };
  for (const [name, entry] of Object.entries(userMapping)) mapping[name] = { ...mapping[name], ...entry };
  const plans = planColumns(table.header, [hsCrp], mapping, "participant");
  const problem = firstProblem(plans);
  if (problem) throw problem;
  const builder = new DatasetTableBuilder(plans, "participant", table.header.length);
  for (const record of table.records) builder.add(record);
  return builder.finish();
}

function refusal(run: () => unknown): DatasetFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetFileError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("visit labels", () => {
  it("are REDCap's event names without the arm, unless the mapping names them", () => {
    expect(defaultVisitLabel("week_12_arm_2")).toBe("week 12");
    expect(defaultVisitLabel("baseline_arm_1")).toBe("baseline");
    expect(defaultVisitLabel("Week 12")).toBe("Week 12");
  });

  it("go in time order when they say a time, the others after as they came", () => {
    expect(orderVisits(["week 12", "follow-up call", "baseline", "month 1", "day 3"])).toEqual([
      "baseline",
      "day 3",
      "month 1",
      "week 12",
      "follow-up call",
    ]);
  });
});

describe("a participant-level dataset with a visit column", () => {
  it("holds one row per participant, visit and instance, converted to the panel's unit, with each column's visits", () => {
    const table = importTrial();
    const visit = table.columns.find((c) => c.role === "visit")!;
    expect(visit.name).toBe("visit");
    expect(visit.visits).toEqual(["baseline", "week 4", "week 12"]);
    const crp = table.columns.find((c) => c.biomarker === "hs_crp")!;
    expect(crp).toMatchObject({ name: "crp (mg/dL)", unit: "mg/L", convertedFrom: "mg/dL", visits: ["baseline", "week 4"] });
    expect(table.columns.find((c) => c.name === "response")!.visits).toEqual(["week 12"]);
    expect(table.columns.find((c) => c.name === "group")!.role).toBe("arm");
    const k = table.columns.indexOf(crp);
    const first = table.rows.find((r) => r.participantId === TRIAL[0].id)!;
    expect(first.values[k]).toBeCloseTo(TRIAL[0].crp[0] * 10, 10);
    expect(first.arm).toBe(ARM_LABELS[TRIAL[0].arm]);
  });

  it("takes the user's visit labels from the mapping", () => {
    const labels = { baseline_arm_1: "Week 0", baseline_arm_2: "Week 0", week_12_arm_1: "end", week_12_arm_2: "end" };
    const table = importTrial({ visit: { visits: labels } });
    expect(table.columns.find((c) => c.role === "visit")!.visits).toEqual(["Week 0", "week 4", "end"]);
  });

  it("refuses two events mapped to one visit of the same participant, naming the row and the visit", () => {
    const error = refusal(() => importTrial({ visit: { visits: { week_4_arm_1: "follow-up", week_12_arm_1: "follow-up" } } }));
    const row = 2 + TRIAL[0].meds.length + 2; // 1001's week 12 row, after its baseline, medication and week 4 rows
    expect(error.message).toBe(
      `Row ${row}, column “participant_id”: participant id “1001” at visit “follow-up” appears again (first on row ${row - 1}).`,
    );
  });

  it("refuses a visit named like a prototype key in the mapping, rather than dropping it", () => {
    const parsed = ColumnMappingInput.safeParse(
      '{"visit": {"role": "visit", "visits": {"__proto__": "baseline", "week_4_arm_1": "week 4"}}}',
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ["visit", "visits", "__proto__"],
      message: "“__proto__” cannot be a visit in a mapping.",
    });
  });

  it("refuses visit labels on a column that is not the visit column", () => {
    const error = refusal(() => importTrial({ hamd: { visits: { a: "b" } } }));
    expect(error.message).toMatch(/Only the visit column takes visit labels; “hamd” is not mapped to the role visit/);
  });
});

describe("the participant-level view analyses read", () => {
  it("is the dataset as stored when there is no visit column", () => {
    const columns = importTrial()
      .columns.filter((c) => c.role !== "visit" && c.role !== "instance")
      .map(({ visits: _v, ...c }) => c);
    const view = participantView(columns);
    expect(view.byVisit).toBe(false);
    expect(view.columns).toBe(columns);
    const rows = [{ participantId: "a", arm: "x", values: [1] }];
    expect(view.collapse(rows)).toBe(rows);
  });

  it("gives one row per participant: biomarkers at baseline, a score per visit, single-visit columns as they are", () => {
    const table = importTrial();
    const view = participantView(table.columns);
    expect(view.baseline).toBe("baseline");
    const names = view.columns.map((c) => c.name);
    expect(names).toContain("crp (mg/dL)");
    expect(names).toContain("response");
    expect(names).toEqual(expect.arrayContaining(["hamd_baseline", "hamd_week 4", "hamd_week 12"]));
    expect(names).not.toContain("hamd");
    expect(names).not.toContain("visit");
    const rows = view.collapse(table.rows);
    expect(rows).toHaveLength(TRIAL.length);
    const at = (name: string) => names.indexOf(name);
    for (const p of TRIAL) {
      const row = rows.find((r) => r.participantId === p.id)!;
      expect(row.arm).toBe(ARM_LABELS[p.arm]);
      expect(row.values[at("crp (mg/dL)")]).toBeCloseTo(p.crp[0] * 10, 10);
      expect(row.values[at("hamd_baseline")]).toBe(p.hamd[0]);
      expect(row.values[at("hamd_week 12")]).toBe(p.hamd[2]);
      expect(row.values[at("response")]).toBe(p.hamd[2] <= p.hamd[0] / 2 ? "Yes" : "No");
    }
  });

  it("lets the outcome rules read a change from baseline to the last visit, and a named outcome at its visit", () => {
    const table = importTrial();
    const view = participantView(table.columns);
    const outcomes = deriveDatasetOutcomes(view.columns, [
      { id: "change", name: "HAM-D change", kind: "continuous" },
      { id: "response", name: "Response (≥50% drop)", kind: "binary" },
    ]);
    expect(outcomes.map((o) => o.definition)).toEqual([
      "hamd_baseline − hamd_week 12 (positive = the score fell)",
      "column “response” (1 = event)",
    ]);
    for (const row of view.collapse(table.rows)) {
      const p = TRIAL.find((t) => t.id === row.participantId)!;
      expect(outcomes[0].value(row.values)).toBe(p.hamd[0] - p.hamd[2]);
      expect(outcomes[1].value(row.values)).toBe(p.hamd[2] <= p.hamd[0] / 2 ? 1 : 0);
    }
  });
});
