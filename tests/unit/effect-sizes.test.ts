import { describe, expect, it } from "vitest";
import {
  computeEffectSize,
  effectFromConfidenceInterval,
  hedgesCorrection,
  ImpossibleInputError,
  logOddsRatio,
  logRiskRatio,
  meanDifference,
  standardisedMeanDifference,
  type BinaryArms,
  type ContinuousArms,
  type EffectSizeOutcome,
} from "#app/domain/effect-sizes.ts";
import { expectClose, metaforReference } from "#tests/support/metafor-reference.ts";

const { effectSizes } = metaforReference;

function expectMatches(outcomes: EffectSizeOutcome[], yi: (number | null)[], vi: (number | null)[]) {
  expect(outcomes).toHaveLength(yi.length);
  outcomes.forEach((outcome, i) => {
    if (yi[i] === null) {
      expect(outcome.estimable, `study ${i} is not estimable`).toBe(false);
      return;
    }
    expect(outcome.estimable, `study ${i}`).toBe(true);
    if (!outcome.estimable) return;
    expectClose(outcome.yi, yi[i]!, `yi of study ${i}`);
    expectClose(outcome.vi, vi[i]!, `vi of study ${i}`);
  });
}

const continuous = (input: Record<string, number>) => input as unknown as ContinuousArms;
const binary = (input: Record<string, number>) => input as unknown as BinaryArms;

describe("effect sizes agree with metafor's escalc", () => {
  it("computes Hedges' g with metafor's exact correction and LS variance (dat.normand1999)", () => {
    const { input, yi, vi } = effectSizes.normandSMD;
    expectMatches(
      input.map((arms) => ({ estimable: true as const, ...standardisedMeanDifference(continuous(arms)) })),
      yi,
      vi,
    );
  });

  it("uses the exact gamma-function correction, which approaches 1 for large samples", () => {
    // J(m) = Γ(m/2) / (√(m/2) Γ((m−1)/2)) (R: 0.922745608053087 for m = 10); the usual 1 − 3/(4m − 1) gives 0.923077.
    expect(hedgesCorrection(10)).toBeCloseTo(0.922745608053087, 13);
    // R's exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2)) for m = 1e6.
    expect(hedgesCorrection(1e6)).toBeCloseTo(0.9999992502856084, 9);
  });

  it("computes raw mean differences with the heteroscedastic variance (dat.normand1999)", () => {
    const { input, yi, vi } = effectSizes.normandMD;
    expectMatches(
      input.map((arms) => ({ estimable: true as const, ...meanDifference(continuous(arms)) })),
      yi,
      vi,
    );
  });

  it("computes log risk ratios and log odds ratios from 2×2 counts (dat.bcg)", () => {
    expectMatches(
      effectSizes.bcgRR.input.map((arms) => logRiskRatio(binary(arms))),
      effectSizes.bcgRR.yi,
      effectSizes.bcgRR.vi,
    );
    expectMatches(
      effectSizes.bcgOR.input.map((arms) => logOddsRatio(binary(arms))),
      effectSizes.bcgOR.yi,
      effectSizes.bcgOR.vi,
    );
  });

  it("adds 1/2 to every cell only when a cell is zero, and calls double-zero studies not estimable", () => {
    const or = effectSizes.zeroCellsOR;
    expectMatches(
      or.input.map((arms) => logOddsRatio(binary(arms))),
      or.yi,
      or.vi,
    );
    const rr = effectSizes.zeroCellsRR;
    expectMatches(
      rr.input.map((arms) => logRiskRatio(binary(arms))),
      rr.yi,
      rr.vi,
    );
    const noEvents = logOddsRatio({ events1: 0, n1: 30, events2: 0, n2: 28 });
    expect(noEvents).toMatchObject({ estimable: false, reason: expect.stringMatching(/no events in either group/i) });
  });

  it("takes a reported ratio with its 95% CI to the log scale, and a difference as it is", () => {
    const { OR, SMD } = effectSizes.fromConfidenceInterval;
    OR.input.forEach((reported, i) => {
      const effect = effectFromConfidenceInterval("OR", reported);
      expect(effect.yi).toBeCloseTo(OR.yi[i], 12);
      expect(effect.vi).toBeCloseTo(OR.vi[i], 12);
    });
    const smd = effectFromConfidenceInterval("SMD", SMD.input[0]);
    expect(smd.yi).toBeCloseTo(SMD.yi[0], 12);
    expect(smd.vi).toBeCloseTo(SMD.vi[0], 12);
  });

  it("dispatches on the measure and on what the study reports", () => {
    const arms = effectSizes.normandSMD.input[0];
    const smd = computeEffectSize({ measure: "SMD", ...continuous(arms) });
    expect(smd.estimable && smd.yi).toBeCloseTo(effectSizes.normandSMD.yi[0]!, 12);
    expect(computeEffectSize({ measure: "RR", events1: 4, n1: 123, events2: 11, n2: 139 })).toMatchObject({ estimable: true });
    expect(computeEffectSize({ measure: "OR", estimate: 0.52, ciLower: 0.31, ciUpper: 0.87 })).toMatchObject({ estimable: true });
  });
});

describe("effect sizes refuse impossible studies, naming the field", () => {
  const arms: ContinuousArms = { m1: 10, sd1: 4, n1: 20, m2: 12, sd2: 5, n2: 22 };
  const refusal = (compute: () => unknown) => {
    try {
      compute();
    } catch (error) {
      expect(error).toBeInstanceOf(ImpossibleInputError);
      return (error as ImpossibleInputError).field;
    }
    throw new Error("expected a refusal");
  };

  it("refuses a group of fewer than two participants for a mean difference", () => {
    expect(refusal(() => standardisedMeanDifference({ ...arms, n2: 1 }))).toBe("n2");
    expect(refusal(() => meanDifference({ ...arms, n1: 2.5 }))).toBe("n1");
  });

  it("refuses a standard deviation of zero or less", () => {
    expect(refusal(() => standardisedMeanDifference({ ...arms, sd1: 0 }))).toBe("sd1");
    expect(refusal(() => standardisedMeanDifference({ ...arms, sd2: -1 }))).toBe("sd2");
  });

  it("refuses more events than participants, and negative or fractional counts", () => {
    expect(refusal(() => logOddsRatio({ events1: 12, n1: 10, events2: 3, n2: 10 }))).toBe("events1");
    expect(refusal(() => logRiskRatio({ events1: 2, n1: 10, events2: 11, n2: 10 }))).toBe("events2");
    expect(refusal(() => logRiskRatio({ events1: -1, n1: 10, events2: 1, n2: 10 }))).toBe("events1");
    expect(refusal(() => logRiskRatio({ events1: 1.5, n1: 10, events2: 1, n2: 10 }))).toBe("events1");
  });

  it("refuses a CI that is inverted, excludes its estimate, or is not positive for a ratio", () => {
    expect(refusal(() => effectFromConfidenceInterval("OR", { estimate: 0.5, ciLower: 0.8, ciUpper: 0.3 }))).toBe("ciUpper");
    expect(refusal(() => effectFromConfidenceInterval("RR", { estimate: 1.2, ciLower: 0, ciUpper: 2 }))).toBe("ciLower");
    expect(refusal(() => effectFromConfidenceInterval("SMD", { estimate: 1, ciLower: -0.5, ciUpper: 0.5 }))).toBe("estimate");
  });
});
