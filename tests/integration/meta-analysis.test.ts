/**
 * The stateless calculator as a researcher's script uses it: effect sizes and
 * pooled results from the API agree with R's metafor
 * (tests/fixtures/metafor/reference.json), bad input is refused naming the
 * offending item, and only signed-in callers may use it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, type TestUser } from "#tests/support/api.ts";
import { expectAgreesWithMetafor, expectClose, metaforReference, P_VALUE_FLOOR, referenceModel } from "#tests/support/metafor-reference.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";

let server: TestServer;
let researcher: TestUser;

beforeAll(async () => {
  server = await startServer();
  researcher = await registerUser(server.url, "Meta Analyst");
});
afterAll(async () => {
  await server?.stop();
});

describe("POST /api/v1/meta-analysis", () => {
  for (const name of ["bcg RR FE", "bcg RR DL", "bcg RR REML", "bcg RR REML knha", "normand SMD REML"]) {
    it(`pools ${name} as metafor does, prediction interval included`, async () => {
      const model = referenceModel(name);
      const response = await researcher.api.post("/api/v1/meta-analysis", {
        method: model.method,
        knha: model.knha,
        effects: model.effects,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ method: model.method, knha: model.knha });
      expectAgreesWithMetafor(response.body, model.result, name);
    });
  }

  it("answers metafor's dat.bcg example: REML −0.7145, τ² 0.3132, I² 92.22%, PI −1.8667 to 0.4376", async () => {
    const response = await researcher.api.post("/api/v1/meta-analysis", {
      method: "REML",
      knha: false,
      effects: referenceModel("bcg RR REML").effects,
    });
    expect(response.body.estimate).toBeCloseTo(-0.7145, 4);
    expect(response.body.tau2).toBeCloseTo(0.3132, 4);
    expect(response.body.i2).toBeCloseTo(92.22, 2);
    expect(response.body.piLower).toBeCloseTo(-1.8667, 4);
    expect(response.body.piUpper).toBeCloseTo(0.4376, 4);
  });

  it("pools each subgroup with its own τ² and tests the difference between subgroups", async () => {
    const reference = metaforReference.subgroups.find((s) => s.name === "bcg RR by allocation REML")!;
    const effects = Object.entries(reference.groups).flatMap(([subgroup, list]) => list.map((e) => ({ ...e, subgroup })));
    const response = await researcher.api.post("/api/v1/meta-analysis", { method: "REML", effects });
    expect(response.status).toBe(200);
    expect(response.body.k).toBe(13);
    const { groups, test } = response.body.subgroups;
    expect(groups.map((g: { name: string }) => g.name)).toEqual(Object.keys(reference.groups));
    for (const group of groups) expectAgreesWithMetafor(group, reference.result.groups[group.name], group.name);
    expect(test.df).toBe(reference.result.test.df);
    expectClose(test.q, reference.result.test.q, "Q between subgroups");
    expectClose(test.p, reference.result.test.p, "p of Q between subgroups", { floor: P_VALUE_FLOOR });
  });

  it("refuses an impossible variance with 400 naming the effect, and unknown methods naming the field", async () => {
    const effects = referenceModel("bcg RR DL").effects.map((e) => ({ ...e }));
    effects[3].vi = 0;
    const badVariance = await researcher.api.post("/api/v1/meta-analysis", { method: "DL", effects });
    expect(badVariance.status).toBe(400);
    expect(badVariance.body.error.code).toBe("validation_failed");
    expect(badVariance.body.error.details[0].field).toBe("effects.3.vi");

    const badMethod = await researcher.api.post("/api/v1/meta-analysis", { method: "ML", effects: referenceModel("bcg RR DL").effects });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.error.details[0].field).toBe("method");

    const notANumber = await researcher.api.post("/api/v1/meta-analysis", { effects: [{ yi: "big", vi: 0.1 }] });
    expect(notANumber.status).toBe(400);
    expect(notANumber.body.error.details[0].field).toBe("effects.0.yi");

    const none = await researcher.api.post("/api/v1/meta-analysis", { method: "FE", effects: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.details[0].field).toBe("effects");
  });

  it("refuses more than 10,000 effects", async () => {
    const effects = Array.from({ length: 10_001 }, (_, i) => ({ yi: (i % 7) / 10, vi: 0.1 }));
    const response = await researcher.api.post("/api/v1/meta-analysis", { method: "DL", effects });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe("effects");
  });

  it("refuses effects where only some name a subgroup, naming the first without one", async () => {
    const response = await researcher.api.post("/api/v1/meta-analysis", {
      effects: [
        { yi: 0.1, vi: 0.1, subgroup: "CRP ≥ 3" },
        { yi: 0.2, vi: 0.1, subgroup: "CRP < 1" },
        { yi: 0.3, vi: 0.1 },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe("effects.2.subgroup");
  });

  it("is only for signed-in callers (401 without a token)", async () => {
    const anonymous = new ApiClient(server.url);
    const response = await anonymous.post("/api/v1/meta-analysis", { method: "FE", effects: [{ yi: 0.1, vi: 0.1 }] });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });
});

describe("POST /api/v1/effect-sizes", () => {
  it("computes Hedges' g for one study as escalc does", async () => {
    const { input, yi, vi } = metaforReference.effectSizes.normandSMD;
    const response = await researcher.api.post("/api/v1/effect-sizes", { measure: "SMD", ...input[0] });
    expect(response.status).toBe(200);
    expect(response.body.measure).toBe("SMD");
    expectClose(response.body.yi, yi[0]!, "yi");
    expectClose(response.body.vi, vi[0]!, "vi");
  });

  it("computes a list of log risk ratios that pools to metafor's dat.bcg result", async () => {
    const { input, yi } = metaforReference.effectSizes.bcgRR;
    const labels = referenceModel("bcg RR REML").effects.map((e) => e.label);
    const studies = input.map((counts, i) => ({ label: labels[i], ...counts }));
    const sizes = await researcher.api.post("/api/v1/effect-sizes", { measure: "RR", studies });
    expect(sizes.status).toBe(200);
    expect(sizes.body.notEstimable).toEqual([]);
    expect(sizes.body.effects).toHaveLength(yi.length);
    sizes.body.effects.forEach((e: { yi: number }, i: number) => expectClose(e.yi, yi[i]!, `yi of study ${i}`));

    const pooled = await researcher.api.post("/api/v1/meta-analysis", { method: "REML", effects: sizes.body.effects });
    expect(pooled.status).toBe(200);
    expectAgreesWithMetafor(pooled.body, referenceModel("bcg RR REML").result, "bcg RR REML from the computed effects");
  });

  it("reports studies without events in either group as not estimable, and the others with 1/2 added to zero cells", async () => {
    const { input, yi } = metaforReference.effectSizes.zeroCellsOR;
    const response = await researcher.api.post("/api/v1/effect-sizes", { measure: "OR", studies: input });
    expect(response.status).toBe(200);
    const notEstimable = yi.flatMap((value, index) => (value === null ? [index] : []));
    expect(response.body.notEstimable.map((s: { index: number }) => s.index)).toEqual(notEstimable);
    expect(response.body.effects).toHaveLength(yi.length - notEstimable.length);
    for (const effect of response.body.effects) expectClose(effect.yi, yi[effect.index]!, `yi of study ${effect.index}`);
  });

  it("takes a reported odds ratio with its 95% CI to the log scale", async () => {
    const { input, yi, vi } = metaforReference.effectSizes.fromConfidenceInterval.OR;
    const response = await researcher.api.post("/api/v1/effect-sizes", { measure: "OR", ...input[0] });
    expect(response.status).toBe(200);
    expect(response.body.yi).toBeCloseTo(yi[0], 10);
    expect(response.body.vi).toBeCloseTo(vi[0], 10);
  });

  it("refuses impossible studies with 400 naming the field", async () => {
    const badSd = await researcher.api.post("/api/v1/effect-sizes", { measure: "SMD", m1: 12, sd1: 0, n1: 20, m2: 3.5, sd2: 4.3, n2: 19 });
    expect(badSd.status).toBe(400);
    expect(badSd.body.error.details[0].field).toBe("sd1");

    const tooFew = await researcher.api.post("/api/v1/effect-sizes", { measure: "MD", m1: 12, sd1: 6, n1: 1, m2: 3.5, sd2: 4.3, n2: 19 });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.error.details[0].field).toBe("n1");

    const tooManyEvents = await researcher.api.post("/api/v1/effect-sizes", {
      measure: "RR",
      studies: [
        { events1: 8, n1: 13, events2: 3, n2: 9 },
        { events1: 5, n1: 10, events2: 4, n2: 10 },
        { events1: 8, n1: 13, events2: 12, n2: 9 },
      ],
    });
    expect(tooManyEvents.status).toBe(400);
    expect(tooManyEvents.body.error.details[0].field).toBe("studies.2.events2");

    const badMeasure = await researcher.api.post("/api/v1/effect-sizes", { measure: "HR", estimate: 0.7, ciLower: 0.5, ciUpper: 0.9 });
    expect(badMeasure.status).toBe(400);
    expect(badMeasure.body.error.details[0].field).toBe("measure");
  });

  it("answers 422 when no study has an estimable effect", async () => {
    const single = await researcher.api.post("/api/v1/effect-sizes", { measure: "OR", events1: 0, n1: 30, events2: 0, n2: 28 });
    expect(single.status).toBe(422);
    const list = await researcher.api.post("/api/v1/effect-sizes", {
      measure: "RR",
      studies: [
        { events1: 0, n1: 30, events2: 0, n2: 28 },
        { events1: 12, n1: 12, events2: 10, n2: 10 },
      ],
    });
    expect(list.status).toBe(422);
    expect(list.body.error.details.map((d: { field: string }) => d.field)).toEqual(["studies.0", "studies.1"]);
  });

  it("is only for signed-in callers (401 without a token)", async () => {
    const response = await new ApiClient(server.url).post("/api/v1/effect-sizes", {
      measure: "SMD",
      m1: 1,
      sd1: 1,
      n1: 10,
      m2: 0,
      sd2: 1,
      n2: 10,
    });
    expect(response.status).toBe(401);
  });
});
