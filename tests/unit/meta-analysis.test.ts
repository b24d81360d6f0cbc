import { describe, expect, it } from "vitest";
import { MetaAnalysisError, poolEffects, subgroupAnalysis } from "#app/domain/meta-analysis.ts";
import { expectAgreesWithMetafor, expectClose, metaforReference, P_VALUE_FLOOR, referenceModel } from "#tests/support/metafor-reference.ts";

describe("pooling agrees with metafor's rma() and predict()", () => {
  for (const model of metaforReference.models) {
    it(`${model.name} (k = ${model.result.k})`, () => {
      const pooled = poolEffects(model.effects, { method: model.method, knha: model.knha });
      expect(pooled.method).toBe(model.method);
      expectAgreesWithMetafor(pooled, model.result, model.name);
    });
  }

  it("agrees with metafor's default REML control too, to a relative 1e-5, where its stopping rule lands that close (dat.bcg, dat.normand1999)", () => {
    // metafor's default stops when τ² moves by less than 1e-5, so its answer is that far from the maximum (decision 006).
    for (const name of ["bcg RR REML", "bcg RR REML knha", "normand SMD REML", "bcg OR REML"]) {
      const model = referenceModel(name);
      const pooled = poolEffects(model.effects, { method: "REML", knha: model.knha });
      expectAgreesWithMetafor(pooled, model.resultDefaultControl!, `${name} (default control)`, { relative: 1e-5 });
    }
  });

  it("reproduces the well-known dat.bcg results (REML −0.7145, τ² 0.3132; DL −0.7141, τ² 0.3088)", () => {
    const effects = referenceModel("bcg RR REML").effects;
    const reml = poolEffects(effects, { method: "REML" });
    expect(reml.estimate).toBeCloseTo(-0.7145, 4);
    expect(reml.tau2).toBeCloseTo(0.3132, 4);
    expect(reml.i2).toBeCloseTo(92.22, 2);
    expect(reml.piLower).toBeCloseTo(-1.8667, 4);
    const dl = poolEffects(effects, { method: "DL" });
    expect(dl.estimate).toBeCloseTo(-0.7141, 4);
    expect(dl.tau2).toBeCloseTo(0.3088, 4);
  });
});

describe("pooling at the edges", () => {
  it("passes a single study through: its own effect, τ² = 0, no heterogeneity, and z even when Knapp–Hartung is asked for", () => {
    const pooled = poolEffects([{ yi: -0.9, vi: 0.3 }], { method: "REML", knha: true });
    expect(pooled).toMatchObject({ k: 1, estimate: -0.9, tau2: 0, i2: 0, h2: 1, q: 0, qP: 1, knha: false, test: "z", weights: [100] });
    expect(pooled.piLower).toBeCloseTo(pooled.ciLower, 15);
  });

  it("finds no between-study variance in identical effects, and a zero-width Knapp–Hartung interval", () => {
    const effects = [0.02, 0.05, 0.11].map((vi) => ({ yi: 0.3, vi }));
    expect(poolEffects(effects, { method: "REML" }).tau2).toBe(0);
    const knha = poolEffects(effects, { method: "REML", knha: true });
    expect(knha.se).toBe(0);
    expect(knha.ciLower).toBe(0.3);
  });

  it("gives a study with a huge variance almost no weight", () => {
    const effects = [...referenceModel("bcg RR REML").effects, { yi: 1.5, vi: 1e4 }];
    const pooled = poolEffects(effects, { method: "REML" });
    expect(pooled.weights.at(-1)).toBeLessThan(0.01);
    expect(pooled.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 10);
  });

  it("says clearly when REML does not converge within its iterations", () => {
    const effects = referenceModel("bcg RR REML").effects;
    expect(() => poolEffects(effects, { method: "REML", maxIterations: 2 })).toThrow(/did not converge in 2 iterations/);
    try {
      poolEffects(effects, { method: "REML", maxIterations: 2 });
    } catch (error) {
      expect(error).toMatchObject({ problem: "not_converged" });
    }
  });

  it("pools 10,000 effects", () => {
    const effects = Array.from({ length: 10_000 }, (_, i) => ({ yi: Math.sin(i) / 2, vi: 0.05 + (i % 13) / 100 }));
    const pooled = poolEffects(effects, { method: "REML", knha: true });
    expect(pooled.k).toBe(10_000);
    expect(pooled.tau2).toBeGreaterThan(0);
  });

  it("refuses an empty list and names an effect with a variance that is not positive", () => {
    expect(() => poolEffects([], { method: "FE" })).toThrow(MetaAnalysisError);
    try {
      poolEffects(
        [
          { yi: 0.1, vi: 0.2 },
          { yi: 0.2, vi: 0 },
        ],
        { method: "DL" },
      );
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(MetaAnalysisError);
      expect(error).toMatchObject({ problem: "invalid_effect", index: 1, field: "vi" });
    }
  });
});

describe("subgroup analysis agrees with separate metafor fits and the Q-between test", () => {
  for (const reference of metaforReference.subgroups) {
    it(reference.name, () => {
      const analysis = subgroupAnalysis(reference.groups, { method: reference.method, knha: reference.knha });
      expect(Object.keys(analysis.groups).sort()).toEqual(Object.keys(reference.result.groups).sort());
      for (const [name, expected] of Object.entries(reference.result.groups)) {
        expectAgreesWithMetafor(analysis.groups[name], expected, `${reference.name} / ${name}`);
      }
      expect(analysis.test).not.toBeNull();
      expect(analysis.test!.df).toBe(reference.result.test.df);
      expectClose(analysis.test!.q, reference.result.test.q, `${reference.name}: Q between subgroups`);
      expectClose(analysis.test!.p, reference.result.test.p, `${reference.name}: p of Q between subgroups`, { floor: P_VALUE_FLOOR });
    });
  }

  it("has no test for subgroup differences with a single subgroup, and names a subgroup that cannot be pooled", () => {
    expect(subgroupAnalysis({ all: [{ yi: 0.1, vi: 0.1 }] }, { method: "DL" }).test).toBeNull();
    expect(() => subgroupAnalysis({ "CRP ≥ 3": [], "CRP < 1": [{ yi: 0.1, vi: 0.1 }] }, { method: "DL" })).toThrow(/CRP ≥ 3/);
  });
});
