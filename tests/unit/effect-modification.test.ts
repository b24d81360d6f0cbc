/**
 * The effect-modification calculator's pure part, to the digit: each trial's
 * treatment × covariate interaction as R's lm and glm(family = binomial) give
 * it, the interactions pooled as metafor's rma() pools them, the across-trial
 * meta-regression as rma(yi, vi, mods = ~ xbar), and what happens with data
 * the model cannot take. The references were computed once by
 * tests/fixtures/effect-modification/make-reference.R from the CSV files the
 * seeded generator in trials.ts writes; no R is needed here.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  acrossTrials,
  analyseEffectModification,
  type CovariateTransform,
  describeTransform,
  fitTrials,
  lineAt,
  poolInteractions,
  type TrialParticipants,
  transformCovariate,
  untransformCovariate,
} from "#app/domain/effect-modification.ts";
import {
  effectAt,
  fitInteraction,
  fitLinearInteraction,
  fitLogisticInteraction,
  InteractionFitError,
  type InteractionOutcome,
  type InteractionProblem,
  type ParticipantPoint,
  SeparationError,
  type TrialArm,
} from "#app/domain/interaction-fits.ts";
import { MetaAnalysisError, type PoolingMethod } from "#app/domain/meta-analysis.ts";
import { metaRegression } from "#app/domain/meta-regression.ts";
import {
  FIXTURE_DIRECTORY,
  flatInteractionTrial,
  type GeneratedTrial,
  generateTrials,
  REFERENCE_DESIGNS,
} from "#tests/fixtures/effect-modification/trials.ts";
import { expectAgreesWithMetafor, expectClose, P_VALUE_FLOOR, type ReferenceModelResult } from "#tests/support/metafor-reference.ts";

// ---- the references ------------------------------------------------------------------------------------------

interface ReferenceTrial {
  label: string;
  n: number;
  interaction: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  /** n − 4 for lm, null for glm (Wald z). */
  df: number | null;
  effectAtZero: number;
  varEffectAtZero: number;
  covEffectInteraction: number;
  effectAt: { x: number; estimate: number; se: number };
  xMin: number;
  xMax: number;
  xMean: number;
  overall: { yi: number; vi: number };
}

interface ReferenceRegression {
  k: number;
  intercept: number;
  slope: number;
  seSlope: number;
  ciLower: number;
  ciUpper: number;
  pval: number;
  tau2: number;
  test: "z" | "t";
}

type ModelName = "FE" | "DL" | "REML" | "REML knha";

interface ReferenceDataset {
  outcome: InteractionOutcome;
  scale: "log" | "linear";
  perTrial: ReferenceTrial[];
  pooled: Record<ModelName, ReferenceModelResult>;
  across: Record<ModelName, ReferenceRegression>;
}

interface EffectModificationReference {
  datasets: Record<"continuous" | "binary", ReferenceDataset>;
  flat: Pick<ReferenceDataset, "outcome" | "scale" | "perTrial">;
}

const reference: EffectModificationReference = JSON.parse(fs.readFileSync(`${FIXTURE_DIRECTORY}/reference.json`, "utf8"));

const MODELS: { name: ModelName; method: PoolingMethod; knha: boolean }[] = [
  { name: "FE", method: "FE", knha: false },
  { name: "DL", method: "DL", knha: false },
  { name: "REML", method: "REML", knha: false },
  { name: "REML knha", method: "REML", knha: true },
];

/** The rows R read, exactly (numbers written by JavaScript round-trip). */
function readTrials(file: string): GeneratedTrial[] {
  const [, ...lines] = fs.readFileSync(`${FIXTURE_DIRECTORY}/${file}`, "utf8").trim().split("\n");
  const trials = new Map<string, GeneratedTrial>();
  for (const line of lines) {
    const [label, arm, value, y] = line.split(",");
    if (!trials.has(label)) trials.set(label, { label, rows: [] });
    trials.get(label)!.rows.push({ arm: arm as TrialArm, value: Number(value), y: Number(y) });
  }
  return [...trials.values()];
}

/** The trials on the analysis scale, transformed as the app transforms a biomarker. */
function onScale(trials: GeneratedTrial[], transform: CovariateTransform): TrialParticipants[] {
  return trials.map((trial) => ({
    label: trial.label,
    points: trial.rows.map((row) => ({ arm: row.arm, x: transformCovariate(row.value, transform)!, y: row.y })),
  }));
}

const LOG: CovariateTransform = { scale: "log", per: 1 };
const PER_UNIT: CovariateTransform = { scale: "linear", per: 1 };

/** Every number R gives for a trial's fit, compared to relative 1e-7. */
function expectTrialAgrees(actual: ReturnType<typeof fitInteraction>, expected: ReferenceTrial, name: string) {
  expect(actual.n, `${name}: n`).toBe(expected.n);
  expect(actual.df, `${name}: df`).toBe(expected.df);
  for (const field of ["interaction", "se", "ciLower", "ciUpper", "effectAtZero", "varEffectAtZero", "covEffectInteraction"] as const) {
    expectClose(actual[field], expected[field], `${name}: ${field}`);
  }
}

// ---- agreement with R ---------------------------------------------------------------------------------------

describe("the reference data", () => {
  it("are what the seeded generator makes, so the references can be remade from trials.ts", () => {
    for (const [name, design] of Object.entries(REFERENCE_DESIGNS)) {
      expect(readTrials(`${name}.csv`), name).toEqual(generateTrials(design));
    }
    expect(readTrials("flat.csv")).toEqual([flatInteractionTrial()]);
  });

  it("are heterogeneous enough that DL and REML estimate τ² above 0, for the interaction and across trials", () => {
    for (const dataset of Object.values(reference.datasets)) {
      for (const name of ["DL", "REML"] as const) {
        expect(dataset.pooled[name].tau2).toBeGreaterThan(0.01);
        expect(dataset.across[name].tau2).toBeGreaterThan(0.01);
      }
    }
  });
});

for (const name of ["continuous", "binary"] as const) {
  const dataset = reference.datasets[name];
  const trials = onScale(readTrials(`${name}.csv`), LOG);
  const { fitted, notFitted } = fitTrials(dataset.outcome, trials);
  const rName = name === "continuous" ? "lm(y ~ arm + x + arm:x)" : "glm(y ~ arm + x + arm:x, family = binomial)";

  describe(`a ${name} outcome on ln(hs-CRP), ${trials.length} trials`, () => {
    it(`fits every trial as ${rName} does: interaction, SE, CI, arm coefficient and their covariance`, () => {
      expect(notFitted).toEqual([]);
      expect(fitted.map((f) => f.label)).toEqual(dataset.perTrial.map((t) => t.label));
      fitted.forEach((fit, i) => expectTrialAgrees(fit, dataset.perTrial[i], fit.label));
    });

    it("gives the effect at x as arm coefficient + interaction·x, with the SE from the covariance of the two", () => {
      fitted.forEach((fit, i) => {
        const expected = dataset.perTrial[i].effectAt;
        const effect = effectAt(fit, expected.x);
        expect(effect.estimate).toBe(fit.effectAtZero + fit.interaction * expected.x);
        expectClose(effect.estimate, expected.estimate, `${fit.label}: effect at ln 3`);
        expectClose(effect.se, expected.se, `${fit.label}: its SE`);
      });
    });

    it("records each trial's covariate range and mean, and its overall effect as escalc gives it", () => {
      fitted.forEach((fit, i) => {
        const expected = dataset.perTrial[i];
        expectClose(fit.xMin, expected.xMin, `${fit.label}: xMin`);
        expectClose(fit.xMax, expected.xMax, `${fit.label}: xMax`);
        expectClose(fit.xMean, expected.xMean, `${fit.label}: xMean`);
        expectClose(fit.overall!.yi, expected.overall.yi, `${fit.label}: overall yi`);
        expectClose(fit.overall!.vi, expected.overall.vi, `${fit.label}: overall vi`);
      });
    });

    for (const model of MODELS) {
      it(`pools the interactions as rma(yi = interaction, sei = se, method = "${model.method}"${model.knha ? ', test = "knha"' : ""}) does, prediction interval included`, () => {
        const pooled = poolInteractions(fitted, { method: model.method, knha: model.knha });
        expectAgreesWithMetafor(pooled, dataset.pooled[model.name], `${name} ${model.name}`);
      });

      it(`regresses the trials' overall effects on their mean covariate as rma(yi, vi, mods = ~ xbar, method = "${model.method}"${model.knha ? ', test = "knha"' : ""}) does`, () => {
        const options = { method: model.method, knha: model.knha };
        const across = acrossTrials(fitted, poolInteractions(fitted, options), options);
        if (!across.ok) throw new Error(across.reason);
        const { regression } = across.value;
        const expected = dataset.across[model.name];
        expect(regression.k).toBe(expected.k);
        expect(regression.test).toBe(expected.test);
        for (const field of ["intercept", "slope", "seSlope", "ciLower", "ciUpper", "tau2"] as const) {
          expectClose(regression[field], expected[field], `${name} ${model.name} meta-regression: ${field}`);
        }
        expectClose(regression.pval, expected.pval, `${name} ${model.name} meta-regression: pval`, { floor: P_VALUE_FLOOR });
      });
    }

    it("analyses the trials end to end: the pooled line's slope is the pooled interaction, its band widens away from the centre", () => {
      const analysis = analyseEffectModification(dataset.outcome, trials, { method: "REML" });
      expectAgreesWithMetafor(analysis.pooled!, dataset.pooled.REML, `${name} REML, end to end`);
      const line = analysis.line!;
      expect(line.slope).toBe(analysis.pooled!.estimate);
      expectClose(line.crit, 1.959963984540054, "the band's critical value");
      const atCentre = lineAt(line, line.centre);
      expect(atCentre.estimate).toBe(line.effectAtCentre);
      const away = lineAt(line, line.centre + 1);
      expect(away.upper - away.estimate).toBeGreaterThan(atCentre.upper - atCentre.estimate);
    });
  });
}

describe("a logistic fit close to its maximum", () => {
  it("runs to R's estimate when the last Newton steps gain less than the log-likelihood's rounding (interaction ≈ 5e-5 per unit)", () => {
    const [trial] = onScale(readTrials("flat.csv"), PER_UNIT);
    const [expected] = reference.flat.perTrial;
    expectTrialAgrees(fitLogisticInteraction(trial.points), expected, "flat");
  });
});

describe("meta-regression", () => {
  it("needs at least three trials and some spread in the moderator", () => {
    const two = [
      { yi: 0.1, vi: 0.1, moderator: 1 },
      { yi: 0.2, vi: 0.1, moderator: 2 },
    ];
    expect(() => metaRegression(two, { method: "REML" })).toThrow(MetaAnalysisError);
    const same = [...two, { yi: 0.3, vi: 0.1, moderator: 2 }].map((e) => ({ ...e, moderator: 1.5 }));
    expect(() => metaRegression(same, { method: "DL" })).toThrow(/same mean value of the moderator/);
  });
});

// ---- data the model cannot take -----------------------------------------------------------------------------

const row = (arm: TrialArm, x: number, y: number): ParticipantPoint => ({ arm, x, y });
const arm = (which: TrialArm, xs: number[], ys: number[]) => xs.map((x, i) => row(which, x, ys[i]));

/** Runs `attempt` and returns the InteractionFitError it throws (failing if it throws nothing or something else). */
function fitError(attempt: () => unknown): InteractionFitError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(InteractionFitError);
    return error as InteractionFitError;
  }
  throw new Error("the fit succeeded");
}

function expectProblem(fit: () => unknown, problem: InteractionProblem, message: RegExp) {
  const error = fitError(fit);
  expect(error.problem).toBe(problem);
  expect(error.message).toMatch(message);
}

/** Overlapping events and non-events in both arms: a logistic fit has a finite maximum. */
const OVERLAPPING = [
  ...arm("intervention", [1, 2, 3, 4, 5, 6], [0, 1, 0, 1, 1, 0]),
  ...arm("comparator", [1, 2, 3, 4, 5, 6], [1, 0, 0, 1, 0, 1]),
];

describe("a trial the model cannot be fitted to", () => {
  it("refuses fewer than 4 rows for either outcome, saying how many it has and needs", () => {
    const three = [row("intervention", 1, 0), row("intervention", 2, 1), row("comparator", 1, 1)];
    expectProblem(() => fitLinearInteraction(three), "too_few_rows", /has 3 participant\(s\).*at least 4/);
    expectProblem(() => fitLogisticInteraction(three), "too_few_rows", /at least 4/);
  });

  it("refuses a continuous trial of 4 rows: four coefficients leave no residual degree of freedom", () => {
    const four = [...arm("intervention", [1, 2], [3, 5]), ...arm("comparator", [1, 2], [2, 7])];
    expectProblem(() => fitLinearInteraction(four), "too_few_rows", /has 4 participants.*at least 5/);
    const five = [...four, row("comparator", 3, 4)];
    expect(fitLinearInteraction(five).df).toBe(1);
  });

  it("refuses a trial with one arm, naming the missing arm", () => {
    const onlyTreated = arm("intervention", [1, 2, 3, 4, 5], [1, 3, 2, 5, 4]);
    expectProblem(() => fitLinearInteraction(onlyTreated), "one_arm", /no participants in the comparator arm/);
    const onlyControls = arm("comparator", [1, 2, 3, 4, 5], [0, 1, 0, 1, 1]);
    expectProblem(() => fitLogisticInteraction(onlyControls), "one_arm", /no participants in the intervention arm/);
  });

  it("refuses a trial whose x does not vary within an arm, naming the arm and the value", () => {
    const flatComparator = [...arm("intervention", [1, 2, 3], [1, 3, 2]), ...arm("comparator", [2.5, 2.5, 2.5], [4, 1, 2])];
    expectProblem(() => fitLinearInteraction(flatComparator), "no_variation", /within the comparator arm \(every value is 2.5\)/);
    const flatIntervention = [...arm("intervention", [7, 7, 7], [0, 1, 0]), ...arm("comparator", [1, 2, 3], [1, 0, 1])];
    expectProblem(() => fitLogisticInteraction(flatIntervention), "no_variation", /within the intervention arm/);
  });

  it("refuses a binary outcome that is not 0 or 1, naming the value and the arm", () => {
    const points = OVERLAPPING.map((p, i) => (i === 8 ? { ...p, y: 2 } : p));
    expectProblem(() => fitLogisticInteraction(points), "not_binary", /outcome of 2 in the comparator arm/);
    expectProblem(() => fitInteraction("binary", [...OVERLAPPING, row("intervention", 3.5, 0.5)]), "not_binary", /0\.5/);
  });

  it("refuses continuous outcomes lying exactly on a line in each arm: no residual variance", () => {
    const exact = [...arm("intervention", [1, 2, 3, 4], [3, 5, 7, 9]), ...arm("comparator", [1, 2, 3], [1, 1.5, 2])];
    expectProblem(() => fitLinearInteraction(exact), "no_residual_variation", /exactly on a line/);
  });
});

describe("separation in a logistic fit", () => {
  const separated: Record<string, ParticipantPoint[]> = {
    "complete: every event above every non-event": [
      ...arm("intervention", [1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1]),
      ...OVERLAPPING.filter((p) => p.arm === "comparator"),
    ],
    "complete, the other way: every event below every non-event": [
      ...OVERLAPPING.filter((p) => p.arm === "intervention"),
      ...arm("comparator", [1, 2, 3, 4, 5, 6], [1, 1, 0, 0, 0, 0]),
    ],
    "quasi-complete: events and non-events meet at one value of x": [
      ...arm("intervention", [1, 2, 3, 3, 4, 5], [0, 0, 0, 1, 1, 1]),
      ...OVERLAPPING.filter((p) => p.arm === "comparator"),
    ],
    "every participant in an arm had the event": [
      ...arm("intervention", [1, 2, 3, 4], [1, 1, 1, 1]),
      ...OVERLAPPING.filter((p) => p.arm === "comparator"),
    ],
    "no participant in an arm had the event": [
      ...OVERLAPPING.filter((p) => p.arm === "intervention"),
      ...arm("comparator", [1, 2, 3, 4], [0, 0, 0, 0]),
    ],
  };

  for (const [what, points] of Object.entries(separated)) {
    it(`is a SeparationError, not a number: ${what}`, () => {
      expect(() => fitLogisticInteraction(points)).toThrow(SeparationError);
    });
  }

  it("says which arm and where x splits the events, and that the trial is left out of the pooling", () => {
    expect(() => fitLogisticInteraction(separated["quasi-complete: events and non-events meet at one value of x"])).toThrow(
      /Left out of the pooling: in the intervention arm, x separates the events \(all at x ≥ 3\) from the non-events \(all at x ≤ 3\)/,
    );
    expect(() => fitLogisticInteraction(separated["every participant in an arm had the event"])).toThrow(
      /every participant in the intervention arm had the event/,
    );
  });

  it("fits the same arms once one event and one non-event overlap", () => {
    const fit = fitLogisticInteraction(OVERLAPPING);
    expect(Number.isFinite(fit.interaction) && fit.se > 0).toBe(true);
  });

  it("is noted with the trial's label and left out, while the other trials are fitted and pooled", () => {
    const analysis = analyseEffectModification(
      "binary",
      [
        { label: "Overlapping", points: OVERLAPPING },
        { label: "Separated", points: separated["complete: every event above every non-event"] },
        { label: "Overlapping again", points: OVERLAPPING.map((p) => ({ ...p, x: p.x * 2 })) },
      ],
      { method: "FE" },
    );
    expect(analysis.fitted.map((f) => f.label)).toEqual(["Overlapping", "Overlapping again"]);
    expect(analysis.notFitted).toEqual([
      { index: 1, label: "Separated", n: 12, problem: "separation", reason: expect.stringMatching(/^Left out of the pooling/) },
    ]);
    expect(analysis.pooled!.k).toBe(2);
  });
});

describe("fitTrials", () => {
  it("notes every trial it cannot fit with its index, n and the problem, and fits the rest", () => {
    const { fitted, notFitted } = fitTrials("continuous", [
      { label: "Too small", points: [row("intervention", 1, 1), row("comparator", 2, 2)] },
      { label: "Fine", points: [...arm("intervention", [1, 2, 3], [1, 3, 2]), ...arm("comparator", [1, 2, 3], [2, 2, 5])] },
      { label: "One arm", points: arm("comparator", [1, 2, 3, 4, 5], [1, 3, 2, 5, 4]) },
    ]);
    expect(fitted.map((f) => [f.index, f.label])).toEqual([[1, "Fine"]]);
    expect(notFitted.map((t) => [t.index, t.label, t.n, t.problem])).toEqual([
      [0, "Too small", 2, "too_few_rows"],
      [2, "One arm", 5, "one_arm"],
    ]);
  });

  it("pools nothing when nothing could be fitted", () => {
    const analysis = analyseEffectModification("continuous", [{ label: "Empty-ish", points: [row("intervention", 1, 1)] }], {
      method: "REML",
    });
    expect(analysis).toMatchObject({ fitted: [], pooled: null, line: null, across: null });
  });
});

// ---- the covariate's scale --------------------------------------------------------------------------------

describe("transforming a biomarker", () => {
  const transforms: CovariateTransform[] = [
    { scale: "linear", per: 1 },
    { scale: "linear", per: 5 },
    { scale: "log", per: 1 },
    { scale: "log2", per: 1 },
  ];

  it("goes to the analysis scale and back to the same value", () => {
    for (const transform of transforms) {
      for (const value of [0.07, 1, 3, 27.5, 180]) {
        const there = transformCovariate(value, transform)!;
        expect(untransformCovariate(there, transform), `${transform.scale} per ${transform.per}: ${value}`).toBeCloseTo(value, 12);
      }
    }
  });

  it("divides by the step on the linear scale and takes ln or log2 on the log scales", () => {
    expect(transformCovariate(27.5, { scale: "linear", per: 5 })).toBe(5.5);
    expect(transformCovariate(Math.E ** 2, { scale: "log", per: 1 })).toBeCloseTo(2, 15);
    expect(transformCovariate(8, { scale: "log2", per: 1 })).toBe(3);
    expect(untransformCovariate(-1, { scale: "log2", per: 1 })).toBe(0.5);
  });

  it("has no log of 0 or of a negative value (null, not -Infinity or NaN), while the linear scale takes them", () => {
    for (const scale of ["log", "log2"] as const) {
      expect(transformCovariate(0, { scale, per: 1 })).toBeNull();
      expect(transformCovariate(-2, { scale, per: 1 })).toBeNull();
    }
    expect(transformCovariate(0, { scale: "linear", per: 5 })).toBe(0);
    expect(transformCovariate(-2, { scale: "linear", per: 1 })).toBe(-2);
  });

  it("says what one step of the interaction means", () => {
    expect(describeTransform({ scale: "log2", per: 1 }, "hs-CRP", "mg/L")).toBe("per doubling of hs-CRP");
    expect(describeTransform({ scale: "log", per: 1 }, "hs-CRP", "mg/L")).toBe("per unit of ln(hs-CRP) (a 2.72-fold change)");
    expect(describeTransform({ scale: "linear", per: 5 }, "BMI", "kg/m2")).toBe("per 5 kg/m2 of BMI");
    expect(describeTransform({ scale: "linear", per: 1 }, "score", "")).toBe("per 1 of score");
  });
});
