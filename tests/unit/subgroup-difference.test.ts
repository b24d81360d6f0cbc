/**
 * The dichotomised within-trial analysis: each trial's effect in profile A
 * minus its effect in profile B, variances added, paired only within one
 * trial's intervention arm and one kind of source, then pooled as the
 * meta-analysis core pools anything else.
 */
import { describe, expect, it } from "vitest";
import type { ComparisonInput, ComparisonOptions } from "#app/domain/comparison.ts";
import { logOddsRatio, meanDifference, standardisedMeanDifference } from "#app/domain/effect-sizes.ts";
import { poolEffects } from "#app/domain/meta-analysis.ts";
import { withinTrialDifferences } from "#app/domain/subgroup-difference.ts";

const HIGH = "high-crp";
const LOW = "low-crp";

type Continuous = Extract<ComparisonInput["data"], { type: "continuous" }>;

function input(studyId: string, profileId: string, data: ComparisonInput["data"], extra: Partial<ComparisonInput> = {}): ComparisonInput {
  const interventionName = extra.interventionName ?? "infliximab";
  const source = extra.source ?? "participant";
  return {
    id: `${source}:${studyId}:${interventionName}:${profileId}`,
    studyId,
    studyTitle: `Study ${studyId}`,
    population: "",
    rowKey: interventionName.toLowerCase(),
    interventionName,
    interventionClass: "anti-inflammatory",
    dose: "",
    comparatorName: "placebo",
    profileId,
    source,
    datasetName: "Synthetic",
    datasetVersion: 1,
    data,
    ...extra,
  };
}

/** Continuous arms: the intervention's mean against a comparator mean of 5, SD 5 in both. */
const continuous = (studyId: string, profileId: string, m1: number, n = 30, extra: Partial<ComparisonInput> = {}) =>
  input(studyId, profileId, { type: "continuous", intervention: { mean: m1, sd: 5, n }, comparator: { mean: 5, sd: 5, n: n + 2 } }, extra);

const armsOf = (i: ComparisonInput) => {
  const d = i.data as Continuous;
  return {
    m1: d.intervention.mean,
    sd1: d.intervention.sd,
    n1: d.intervention.n,
    m2: d.comparator.mean,
    sd2: d.comparator.sd,
    n2: d.comparator.n,
  };
};

const REML = { measure: "SMD" as const, method: "REML" as const };

describe("each trial's difference between the two profiles", () => {
  it("subtracts the SMD in B from the SMD in A and adds their variances", () => {
    const a = continuous("s1", HIGH, 12, 40);
    const b = continuous("s1", LOW, 7, 35);
    const analysis = withinTrialDifferences([a, b], HIGH, LOW, REML);
    const ea = standardisedMeanDifference(armsOf(a));
    const eb = standardisedMeanDifference(armsOf(b));
    expect(analysis.ratio).toBe(false);
    expect(analysis.trials).toHaveLength(1);
    const [trial] = analysis.trials;
    expect(trial).toMatchObject({ studyId: "s1", interventionName: "infliximab", source: "participant", excluded: false });
    expect(trial.a).toEqual({ yi: ea.yi, vi: ea.vi, n: 40 + 42 });
    expect(trial.b).toEqual({ yi: eb.yi, vi: eb.vi, n: 35 + 37 });
    expect(trial.yi).toBe(ea.yi - eb.yi);
    expect(trial.vi).toBe(ea.vi + eb.vi);
    const half = 1.959963984540054 * Math.sqrt(ea.vi + eb.vi);
    expect(trial.ciLower).toBeCloseTo(trial.yi - half, 12);
    expect(trial.ciUpper).toBeCloseTo(trial.yi + half, 12);
  });

  it("does the same with raw mean differences", () => {
    const a = continuous("s1", HIGH, 12, 40);
    const b = continuous("s1", LOW, 7, 35);
    const [trial] = withinTrialDifferences([a, b], HIGH, LOW, { measure: "MD", method: "REML" }).trials;
    const ea = meanDifference(armsOf(a));
    const eb = meanDifference(armsOf(b));
    expect(trial.yi).toBe(ea.yi - eb.yi);
    expect(trial.yi).toBe(12 - 7);
    expect(trial.vi).toBe(ea.vi + eb.vi);
  });

  it("for binary outcomes, differences log odds ratios and pools them as a ratio of odds ratios", () => {
    const binary = (studyId: string, profileId: string, events1: number, n1: number, events2: number, n2: number) =>
      input(studyId, profileId, { type: "binary", intervention: { events: events1, n: n1 }, comparator: { events: events2, n: n2 } });
    const inputs = [binary("s1", HIGH, 18, 30, 8, 31), binary("s1", LOW, 10, 28, 9, 30)];
    const analysis = withinTrialDifferences(inputs, HIGH, LOW, { measure: "OR", method: "FE" });
    const ea = logOddsRatio({ events1: 18, n1: 30, events2: 8, n2: 31 });
    const eb = logOddsRatio({ events1: 10, n1: 28, events2: 9, n2: 30 });
    if (!ea.estimable || !eb.estimable) throw new Error("both odds ratios are estimable");
    expect(analysis.ratio).toBe(true);
    const [trial] = analysis.trials;
    expect(trial.yi).toBe(ea.yi - eb.yi);
    expect(trial.vi).toBe(ea.vi + eb.vi);
    const pooled = analysis.pooled!;
    // One trial: the pooled ratio of odds ratios is that trial's OR in A over its OR in B.
    expect(pooled.yi).toBeCloseTo(trial.yi, 12);
    expect(pooled.estimate).toBe(Math.exp(pooled.yi));
    expect(pooled.estimate).toBeCloseTo((18 * 23) / (12 * 8) / ((10 * 21) / (18 * 9)), 10);
    expect(pooled.ciLower).toBeCloseTo(Math.exp(pooled.yi - 1.959963984540054 * pooled.se), 10);
  });
});

describe("pairing", () => {
  it("pairs A and B within the same study and intervention arm, never across arms", () => {
    // One three-arm trial in a class row: infliximab and minocycline against placebo, both profiles each.
    const minocycline = { interventionName: "Minocycline" };
    const inputs = [
      continuous("s1", HIGH, 12),
      continuous("s1", HIGH, 9, 30, minocycline),
      continuous("s1", LOW, 6),
      continuous("s1", LOW, 8, 30, minocycline),
    ];
    const analysis = withinTrialDifferences(inputs, HIGH, LOW, REML);
    expect(analysis.unpaired).toEqual([]);
    const byArm = Object.fromEntries(analysis.trials.map((t) => [t.interventionName, t]));
    expect(Object.keys(byArm).sort()).toEqual(["Minocycline", "infliximab"]);
    const smd = (i: ComparisonInput) => standardisedMeanDifference(armsOf(i)).yi;
    expect(byArm.infliximab.yi).toBe(smd(inputs[0]) - smd(inputs[2]));
    expect(byArm.Minocycline.yi).toBe(smd(inputs[1]) - smd(inputs[3]));
  });

  it("does not pair one study's A with another study's B", () => {
    const analysis = withinTrialDifferences([continuous("s1", HIGH, 12), continuous("s2", LOW, 6)], HIGH, LOW, REML);
    expect(analysis.trials).toEqual([]);
    expect(analysis.unpaired).toEqual([
      { studyTitle: "Study s1", interventionName: "infliximab", reason: "No data for the second profile." },
      { studyTitle: "Study s2", interventionName: "infliximab", reason: "No data for the first profile." },
    ]);
    expect(analysis.pooled).toBeNull();
  });

  it("does not pair participant-level data for A with a published result for B, and says why", () => {
    const published = continuous("s1", LOW, 6, 30, { source: "summary", subgroup: "CRP < 1 mg/L", resultId: "r1" });
    const analysis = withinTrialDifferences([continuous("s1", HIGH, 12), published, ...pair("s2")], HIGH, LOW, REML);
    expect(analysis.trials.map((t) => t.studyId)).toEqual(["s2"]);
    expect(analysis.unpaired).toEqual([
      {
        studyTitle: "Study s1",
        interventionName: "infliximab",
        reason: "One profile's number comes from participant-level data and the other's from a published result.",
      },
    ]);
  });

  it("pairs two published subgroup results of one trial, and says where each side comes from", () => {
    const summary = (profileId: string, m1: number, subgroup: string) =>
      continuous("s1", profileId, m1, 25, { source: "summary", subgroup, resultId: `r-${profileId}` });
    const analysis = withinTrialDifferences([summary(HIGH, 12, "CRP > 3 mg/L"), summary(LOW, 6, "CRP < 1 mg/L")], HIGH, LOW, REML);
    expect(analysis.trials).toHaveLength(1);
    expect(analysis.trials[0]).toMatchObject({
      source: "summary",
      provenance: { a: "published result for “CRP > 3 mg/L”", b: "published result for “CRP < 1 mg/L”" },
    });
  });

  it("lists a trial with data for only one profile as unpaired, and leaves it out of the pooling", () => {
    const analysis = withinTrialDifferences([...pair("s1"), ...pair("s2"), continuous("s3", HIGH, 14)], HIGH, LOW, REML);
    expect(analysis.trials.map((t) => t.studyId)).toEqual(["s1", "s2"]);
    expect(analysis.unpaired).toEqual([
      { studyTitle: "Study s3", interventionName: "infliximab", reason: "No data for the second profile." },
    ]);
    expect(analysis.pooled!.k).toBe(2);
  });

  it("lists a trial whose effect cannot be computed in one profile as unpaired, with the reason", () => {
    const noSpread = input("s1", LOW, {
      type: "continuous",
      intervention: { mean: 6, sd: 0, n: 30 },
      comparator: { mean: 5, sd: 5, n: 30 },
    });
    const analysis = withinTrialDifferences([continuous("s1", HIGH, 12), noSpread], HIGH, LOW, REML);
    expect(analysis.trials).toEqual([]);
    expect(analysis.unpaired).toEqual([
      { studyTitle: "Study s1", interventionName: "infliximab", reason: "No spread in an arm (SD is 0)." },
    ]);
  });
});

/** A trial with both profiles: a larger effect in High CRP than in Low CRP, varying by study. */
function pair(studyId: string, high = 12, low = 6, n = 30): ComparisonInput[] {
  return [continuous(studyId, HIGH, high, n), continuous(studyId, LOW, low, n)];
}

describe("pooling the differences", () => {
  const inputs = [...pair("s1", 12, 6, 30), ...pair("s2", 9, 7, 50), ...pair("s3", 14, 5, 20), ...pair("s4", 10, 10, 40)];

  it("pools exactly what poolEffects gives on the differences, with the same method and Knapp–Hartung", () => {
    const choices: ComparisonOptions[] = [REML, { measure: "SMD", method: "DL", knha: true }, { measure: "MD", method: "FE" }];
    for (const options of choices) {
      const analysis = withinTrialDifferences(inputs, HIGH, LOW, options);
      const expected = poolEffects(
        analysis.trials.map((t) => ({ yi: t.yi, vi: t.vi })),
        { method: options.method, knha: options.knha },
      );
      const pooled = analysis.pooled!;
      expect(pooled).toMatchObject({
        k: 4,
        yi: expected.estimate,
        estimate: expected.estimate,
        se: expected.se,
        ciLower: expected.ciLower,
        ciUpper: expected.ciUpper,
        piLower: expected.piLower,
        piUpper: expected.piUpper,
        tau2: expected.tau2,
        i2: expected.i2,
        q: expected.q,
        pval: expected.pval,
      });
      // Every participant counted once per side: both arms of both profiles of every trial.
      expect(pooled.n).toBe(2 * (62 + 102 + 42 + 82));
    }
  });

  it("lists excluded studies with excluded = true and leaves them out of the pooled k", () => {
    const analysis = withinTrialDifferences(inputs, HIGH, LOW, { ...REML, exclude: ["s3"] });
    expect(analysis.trials.map((t) => [t.studyId, t.excluded])).toEqual([
      ["s1", false],
      ["s2", false],
      ["s3", true],
      ["s4", false],
    ]);
    const kept = analysis.trials.filter((t) => t.studyId !== "s3");
    const expected = poolEffects(
      kept.map((t) => ({ yi: t.yi, vi: t.vi })),
      { method: "REML" },
    );
    expect(analysis.pooled!.k).toBe(3);
    expect(analysis.pooled!.yi).toBe(expected.estimate);
    expect(analysis.pooled!.se).toBe(expected.se);
    expect(analysis.pooled!.n).toBe(2 * (62 + 102 + 82));
  });

  it("gives no pooled result when nothing is left to pool", () => {
    const allExcluded = withinTrialDifferences(inputs, HIGH, LOW, { ...REML, exclude: ["s1", "s2", "s3", "s4"] });
    expect(allExcluded.trials).toHaveLength(4);
    expect(allExcluded.pooled).toBeNull();
    expect(withinTrialDifferences([], HIGH, LOW, REML)).toEqual({ trials: [], unpaired: [], pooled: null, ratio: false });
    expect(withinTrialDifferences([continuous("s1", HIGH, 12)], HIGH, LOW, REML).pooled).toBeNull();
  });
});
