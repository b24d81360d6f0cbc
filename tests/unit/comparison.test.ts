import { describe, expect, it } from "vitest";
import { analyseForest, buildMatrix, type ComparisonInput, effectBand, poolCell, selectInputs } from "#app/domain/comparison.ts";
import { standardisedMeanDifference } from "#app/domain/effect-sizes.ts";
import { poolEffects, subgroupAnalysis } from "#app/domain/meta-analysis.ts";

function continuous(
  studyId: string,
  profileId: string,
  m1: number,
  m2: number,
  n = 30,
  extra: Partial<ComparisonInput> = {},
): ComparisonInput {
  return {
    id: `participant:${studyId}:${profileId}`,
    studyId,
    studyTitle: `Study ${studyId}`,
    population: "",
    rowKey: "infliximab",
    interventionName: "infliximab",
    interventionClass: "anti-inflammatory",
    dose: "",
    comparatorName: "placebo",
    profileId,
    source: "participant",
    data: { type: "continuous", intervention: { mean: m1, sd: 5, n }, comparator: { mean: m2, sd: 5, n } },
    ...extra,
  };
}

const REML = { measure: "SMD" as const, method: "REML" as const };

describe("one source per study and cell", () => {
  it("uses participant-level data over a mapped summary result by default, and sets the other aside", () => {
    const participant = continuous("a", "p1", 10, 5);
    const summary = { ...continuous("a", "p1", 12, 4), id: "summary:r1:p1", source: "summary" as const };
    const chosen = selectInputs([summary, participant], "participant");
    expect(chosen.used.map((i) => i.id)).toEqual([participant.id]);
    expect(chosen.setAside).toEqual([{ input: summary, usedInstead: participant.id }]);
    expect(selectInputs([summary, participant], "summary").used.map((i) => i.id)).toEqual([summary.id]);
  });
});

describe("pooling a cell", () => {
  const inputs = [continuous("a", "p1", 10, 5), continuous("b", "p1", 9, 5, 50), continuous("c", "p1", 10.5, 5, 20)];

  it("pools each study's Hedges' g as the meta-analysis core does", () => {
    const cell = poolCell(inputs, REML)!;
    const effects = inputs.map((i) => {
      const d = i.data as Extract<ComparisonInput["data"], { type: "continuous" }>;
      return standardisedMeanDifference({
        m1: d.intervention.mean,
        sd1: 5,
        n1: d.intervention.n,
        m2: d.comparator.mean,
        sd2: 5,
        n2: d.comparator.n,
      });
    });
    const expected = poolEffects(effects, { method: "REML" });
    expect(cell.estimate).toBe(expected.estimate);
    expect(cell.ciLower).toBe(expected.ciLower);
    expect(cell.i2).toBe(expected.i2);
    expect(cell).toMatchObject({ k: 3, n: 200, sources: { participant: 3, summary: 0 }, thin: false });
  });

  it("leaves excluded studies out, and marks a single study as thin evidence", () => {
    const cell = poolCell(inputs, { ...REML, exclude: ["b", "c"] })!;
    expect(cell).toMatchObject({ k: 1, studyIds: ["a"], thin: true });
    expect(cell.thinReasons).toContain("a single study");
  });

  it("gives ratios back as ratios and says why an input has no effect", () => {
    const binary: ComparisonInput = {
      ...continuous("d", "p1", 0, 0),
      data: { type: "binary", intervention: { events: 8, n: 13 }, comparator: { events: 3, n: 9 } },
    };
    const cell = poolCell([binary, continuous("a", "p1", 10, 5)], { measure: "OR", method: "REML" })!;
    expect(cell.k).toBe(1);
    expect(cell.estimate).toBeCloseTo((8 * 6) / (5 * 3), 10);
    expect(cell.notEstimable).toEqual([{ inputId: "participant:a:p1", reason: "Continuous data: choose SMD or MD." }]);
  });
});

describe("the matrix", () => {
  it("has a row per intervention, with a pooled class row only when a class has several", () => {
    const minocycline = (s: string, p: string) => ({ ...continuous(s, p, 11, 4), rowKey: "minocycline", interventionName: "minocycline" });
    const rows = buildMatrix([continuous("a", "p1", 10, 5), minocycline("b", "p1"), minocycline("b", "p2")], ["p1", "p2"], REML);
    expect(rows.map((r) => r.key)).toEqual(["class:anti-inflammatory", "intervention:infliximab", "intervention:minocycline"]);
    expect(rows[0].cells[0]?.k).toBe(2);
    expect(rows[1].cells[1]).toBeNull();
    const single = buildMatrix([continuous("a", "p1", 10, 5)], ["p1"], REML);
    expect(single.map((r) => r.kind)).toEqual(["intervention"]);
  });
});

describe("a forest plot", () => {
  it("has a subgroup per profile with weights summing to 100, the overall model and the test for subgroup differences", () => {
    const inputs = [
      continuous("a", "high", 12, 4),
      continuous("b", "high", 10, 5, 40),
      continuous("a", "low", 5, 6),
      continuous("b", "low", 6, 6, 40),
    ];
    const forest = analyseForest(inputs, ["high", "low"], REML);
    expect(forest.groups.map((g) => g.profileId)).toEqual(["high", "low"]);
    for (const g of forest.groups) expect(g.studies.reduce((t, s) => t + (s.weight ?? 0), 0)).toBeCloseTo(100, 10);
    const effects = (profile: string) =>
      inputs
        .filter((i) => i.profileId === profile)
        .map((i) => poolCell([i], REML)!)
        .map((c) => ({ yi: c.yi, vi: c.se ** 2 }));
    const expected = subgroupAnalysis({ high: effects("high"), low: effects("low") }, { method: "REML" });
    expect(forest.test!.q).toBeCloseTo(expected.test!.q, 10);
    expect(forest.overall!.k).toBe(4);
  });

  it("moves the diamond when a study is excluded", () => {
    const inputs = [continuous("a", "high", 12, 4), continuous("b", "high", 6, 5, 40)];
    const all = analyseForest(inputs, ["high"], REML).groups[0].pooled!.estimate;
    const without = analyseForest(inputs, ["high"], { ...REML, exclude: ["a"] });
    expect(without.groups[0].pooled!.estimate).not.toBe(all);
    expect(without.groups[0].studies.find((s) => s.input.studyId === "a")).toMatchObject({ excluded: true, weight: null });
  });
});

describe("colouring a cell", () => {
  it("reads direction from whether higher is better, and size from Cohen's bands", () => {
    const cell = { yi: 0.9, se: 0.1, ciLower: 0.7, ciUpper: 1.1 };
    expect(effectBand(cell, "SMD", true)).toMatchObject({ direction: "favours_intervention", size: "large" });
    expect(effectBand(cell, "SMD", false)).toMatchObject({ direction: "favours_comparator" });
    expect(effectBand({ yi: 0.3, se: 0.3, ciLower: -0.3, ciUpper: 0.9 }, "SMD", true)).toMatchObject({
      direction: "unclear",
      size: "small",
    });
  });
});
