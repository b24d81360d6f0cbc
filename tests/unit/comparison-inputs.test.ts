import { describe, expect, it } from "vitest";
import { datasetColumn as column } from "#tests/support/dataset-columns.ts";
import {
  collectInputs,
  comparatorOf,
  type ComparisonStudy,
  type MappedResult,
  outcomeKey,
  outcomeOptions,
  sameArm,
} from "#app/domain/comparison-inputs.ts";
import type { DatasetProfileSummary } from "#app/domain/profile-summaries.ts";

const arm = (id: string, name: string, cls = "anti-inflammatory") => ({ id, name, class: cls, dose: "" });
const HIGH_CRP = {
  id: "high",
  criteria: { op: "and" as const, items: [{ kind: "biomarker" as const, code: "hs_crp", operator: ">" as const, value: 3, unit: "mg/L" }] },
};

function mappedResult(overrides: Partial<MappedResult["result"]> = {}): MappedResult {
  return {
    profileId: "high",
    result: {
      id: "r1",
      version: 2,
      outcomeId: "o1",
      interventionArmId: "a1",
      comparatorArmId: "a2",
      subgroup: "hs-CRP > 5 mg/L",
      type: "continuous",
      interventionMean: 11,
      interventionSd: 5,
      interventionN: 20,
      interventionEvents: null,
      comparatorMean: 5,
      comparatorSd: 5,
      comparatorN: 20,
      comparatorEvents: null,
      measure: null,
      estimate: null,
      ciLower: null,
      ciUpper: null,
      ...overrides,
    },
  };
}

function study(overrides: Partial<ComparisonStudy> = {}): ComparisonStudy {
  return {
    id: "s1",
    title: "Infliximab trial",
    population: "",
    arms: [arm("a1", "Infliximab"), arm("a2", "Placebo", "placebo")],
    outcomes: [{ id: "o1", name: "HAM-D change", kind: "continuous" }],
    datasets: [],
    mapped: [],
    ...overrides,
  };
}

describe("choosing a study's comparator", () => {
  it("is the first placebo arm", () => {
    expect(comparatorOf([arm("a", "EPA"), arm("b", "Placebo", "placebo"), arm("c", "Sham", "placebo")])?.id).toBe("b");
  });
  it("is the second of exactly two arms when neither is a placebo", () => {
    expect(comparatorOf([arm("a", "Exercise", "lifestyle"), arm("b", "Sertraline", "antidepressant")])?.id).toBe("b");
  });
  it("is nobody in a three-arm study without a placebo", () => {
    expect(comparatorOf([arm("a", "A"), arm("b", "B"), arm("c", "C")])).toBeNull();
  });
});

describe("matching a dataset's arm value to a study arm", () => {
  it("ignores case, spacing and punctuation, and accepts how the name starts", () => {
    expect(sameArm("INFLIXIMAB", "Infliximab")).toBe(true);
    expect(sameArm("epa", "EPA (omega-3)")).toBe(true);
    expect(sameArm("in", "Infliximab")).toBe(false);
    expect(sameArm("placebo", "Infliximab")).toBe(false);
  });
});

describe("the outcomes a comparison can show", () => {
  it("groups outcomes by name whatever the case and spacing, most studies with data first", () => {
    const a = study({
      id: "s1",
      outcomes: [
        { id: "o1", name: "HAM-D  change", kind: "continuous" },
        { id: "o2", name: "Remission", kind: "binary" },
      ],
      mapped: [mappedResult()],
    });
    const b = study({
      id: "s2",
      outcomes: [{ id: "o3", name: "ham-d change", kind: "continuous" }],
      mapped: [mappedResult({ outcomeId: "o3" })],
    });
    const options = outcomeOptions([a, b]);
    expect(options).toEqual([
      { key: "ham-d change", name: "HAM-D  change", kind: "continuous", studies: 2 },
      { key: "remission", name: "Remission", kind: "binary", studies: 0 },
    ]);
    expect(outcomeKey(" HAM-D   Change ")).toBe("ham-d change");
  });

  it("counts a study whose participant-level dataset gives the outcome as a baseline and follow-up pair", () => {
    const s = study({
      datasets: [
        {
          id: "d1",
          name: "trial",
          version: 1,
          columns: [
            column("participant_id", "participant_id"),
            column("arm", "arm"),
            column("hamd_baseline", "value"),
            column("hamd_week8", "value"),
          ],
        },
      ],
      outcomes: [{ id: "o1", name: "HAM-D change from baseline", kind: "continuous" }],
    });
    expect(outcomeOptions([s])[0].studies).toBe(1);
  });
});

describe("collecting the inputs of one outcome", () => {
  const outcome = { key: "ham-d change", name: "HAM-D change", kind: "continuous" as const, studies: 1 };

  it("makes one summary input per mapped result, with the cut-off difference from the profile", () => {
    const [input] = collectInputs([study({ mapped: [mappedResult()] })], [HIGH_CRP], outcome, new Map(), [
      { code: "hs_crp", label: "hs-CRP", unit: "mg/L", molarMass: null, unitConventions: [], aliases: [] },
    ]);
    expect(input).toMatchObject({
      id: "summary:r1:high",
      source: "summary",
      rowKey: "infliximab",
      comparatorName: "Placebo",
      resultVersion: 2,
      data: { type: "continuous", intervention: { mean: 11, sd: 5, n: 20 }, comparator: { mean: 5, sd: 5, n: 20 } },
    });
    expect(input.cutoffDifferences).toEqual(["Cut-off differs: the subgroup is hs-CRP > 5 mg/L, the profile hs-CRP > 3 mg/L."]);
  });

  it("makes one participant input per active arm and profile from the dataset's summaries, and none for an unevaluable profile", () => {
    const s = study({
      arms: [arm("a1", "Infliximab"), arm("a3", "Minocycline"), arm("a2", "Placebo", "placebo")],
      datasets: [{ id: "d1", name: "trial", version: 3, columns: [] }],
    });
    const summary: DatasetProfileSummary = {
      evaluable: true,
      problems: [],
      conversions: ["hs-CRP: mg/dL → mg/L (×10)"],
      arms: [],
      outcomes: {
        o1: {
          definition: "hamd_baseline − hamd_week8",
          kind: "continuous",
          arms: { INFLIXIMAB: { n: 10, mean: 9, sd: 3, events: 0 }, placebo: { n: 12, mean: 4, sd: 3, events: 0 } },
        },
      },
    };
    const unevaluable: DatasetProfileSummary = { evaluable: false, problems: [], conversions: [], arms: [], outcomes: {} };
    const inputs = collectInputs(
      [s],
      [HIGH_CRP, { ...HIGH_CRP, id: "low" }],
      outcome,
      new Map([
        [
          "d1",
          new Map([
            ["high", summary],
            ["low", unevaluable],
          ]),
        ],
      ]),
      [],
    );
    expect(inputs).toHaveLength(1); // minocycline has no rows in the dataset, the low profile cannot be evaluated
    expect(inputs[0]).toMatchObject({
      id: "participant:d1:high:a1",
      source: "participant",
      datasetVersion: 3,
      conversions: ["hs-CRP: mg/dL → mg/L (×10)"],
      data: { type: "continuous", intervention: { mean: 9, sd: 3, n: 10 }, comparator: { mean: 4, sd: 3, n: 12 } },
    });
  });

  it("skips studies that do not measure the outcome, and results mapped to a profile that no longer exists", () => {
    const other = study({
      id: "s2",
      outcomes: [{ id: "o9", name: "BMI", kind: "continuous" }],
      mapped: [mappedResult({ outcomeId: "o9" })],
    });
    const orphan = study({ mapped: [{ ...mappedResult(), profileId: "deleted" }] });
    expect(collectInputs([other, orphan], [HIGH_CRP], outcome, new Map(), [])).toEqual([]);
  });

  it("writes a reported estimate with its Ns only where the study gave them", () => {
    const estimate = mappedResult({
      type: "estimate",
      measure: "OR",
      estimate: 2,
      ciLower: 1.2,
      ciUpper: 3.4,
      interventionN: 40,
      comparatorN: null,
      interventionMean: null,
      interventionSd: null,
      comparatorMean: null,
      comparatorSd: null,
    });
    const [input] = collectInputs([study({ mapped: [estimate] })], [HIGH_CRP], outcome, new Map(), []);
    expect(input.data).toEqual({ type: "estimate", measure: "OR", estimate: 2, ciLower: 1.2, ciUpper: 3.4, interventionN: 40 });
  });
});
