/**
 * GET …/comparison/within-trial: each trial's effect in High CRP minus its
 * effect in Low CRP, for one row, pooled; trials with participant-level data
 * (split by the profiles) beside a trial that published only its two
 * subgroup results, each number checked against the comparison's own cells
 * and the stateless calculators.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { expectClose } from "#tests/support/metafor-reference.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const ROW = "intervention:infliximab";
const CLOSE = { relative: 1e-9 };

/** Deterministic participants with CRP on both sides of the cut-offs; infliximab helps more when CRP > 3 mg/L. */
function participantsCsv(seed: number, count = 90) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: count }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.1 + next() * 8).toFixed(2));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" ? (crp > 3 ? 9 : 5) : 4) + next() * 6);
    return [`P${String(i + 1).padStart(3, "0")}`, arm, crp, baseline, baseline - drop].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),hamd_baseline,hamd_week8", ...rows].join("\n");
}

describe("within-trial differences between two profiles", () => {
  const server = useServer();
  let team: Team;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  const profiles: Record<"high" | "low", string> = { high: "", low: "" };
  const studies: Record<"ipd1" | "ipd2" | "published", string> = { ipd1: "", ipd2: "", published: "" };

  const withinTrial = (query: string, as = team.observer) => as.api.get(`${ws()}/comparison/within-trial?row=${ROW}&${query}`);
  const highLow = () => `a=${profiles.high}&b=${profiles.low}`;

  async function study(title: string) {
    const created = await team.contributor.api.post(`${ws()}/studies`, {
      title,
      panelId: (await team.observer.api.get(`${ws()}/panels`)).body.items[0].id,
      arms: [
        { name: "infliximab", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: "HAM-D change from baseline", kind: "continuous" }],
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** A published continuous result for infliximab vs placebo in one subgroup, mapped to a profile. */
  async function publish(
    target: any,
    subgroup: string,
    profileId: string,
    intervention: [number, number, number],
    comparator: [number, number, number],
  ) {
    const result = await team.contributor.api.post(`${ws()}/results`, {
      studyId: target.id,
      outcomeId: target.outcomes[0].id,
      interventionArmId: target.arms[0].id,
      comparatorArmId: target.arms[1].id,
      subgroup,
      data: {
        type: "continuous",
        intervention: { mean: intervention[0], sd: intervention[1], n: intervention[2] },
        comparator: { mean: comparator[0], sd: comparator[1], n: comparator[2] },
      },
    });
    expect(result.status).toBe(201);
    const mapped = await team.contributor.api.request("PUT", `${ws()}/results/${result.body.id}/profile`, { profileId });
    expect(mapped.status).toBe(200);
    return result.body.id as string;
  }

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    expect((await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true })).status).toBe(201);
    const crp = (operator: string, value: number) => ({ kind: "biomarker", code: "hs_crp", operator, value, unit: "mg/L" });
    for (const [key, name, criterion] of [
      ["high", "High CRP", crp(">", 3)],
      ["low", "Low CRP", crp("<", 1)],
    ] as const) {
      const created = await team.contributor.api.post(`${ws()}/profiles`, { name, criteria: { op: "and", items: [criterion] } });
      expect(created.status).toBe(201);
      profiles[key] = created.body.id;
    }
    for (const [key, seed] of [
      ["ipd1", 7],
      ["ipd2", 101],
    ] as const) {
      const s = await study(`Infliximab trial ${key === "ipd1" ? "A" : "B"}`);
      studies[key] = s.id;
      const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, s.id, participantsCsv(seed), { name: `Trial ${key}` });
      expect(uploaded.status).toBe(201);
    }
    const published = await study("Published infliximab trial");
    studies.published = published.id;
    await publish(published, "CRP > 3 mg/L", profiles.high, [11.5, 4.8, 42], [5.2, 5.1, 40]);
    await publish(published, "CRP < 1 mg/L", profiles.low, [6.1, 5.3, 38], [5.0, 4.9, 39]);
  });

  /** The effect of one input's data, from the stateless calculator. */
  async function effectOfData(data: any, measure: "SMD" | "MD") {
    const response = await team.observer.api.post("/api/v1/effect-sizes", {
      measure,
      m1: data.intervention.mean,
      sd1: data.intervention.sd,
      n1: data.intervention.n,
      m2: data.comparator.mean,
      sd2: data.comparator.sd,
      n2: data.comparator.n,
    });
    expect(response.status).toBe(200);
    return response.body as { yi: number; vi: number };
  }

  /** Checks every trial's two sides against the comparison's cells and the calculator, and its difference against them. */
  async function expectTrialsAgreeWithCells(body: any, query: string) {
    const measure = body.measure;
    const cells = {
      a: await team.observer.api.get(`${ws()}/comparison/cell?row=${ROW}&profile=${body.a.id}&${query}`),
      b: await team.observer.api.get(`${ws()}/comparison/cell?row=${ROW}&profile=${body.b.id}&${query}`),
    };
    for (const trial of body.trials) {
      for (const side of ["a", "b"] as const) {
        const cell = cells[side].body;
        const study = cell.forest.groups[0].studies.find((s: any) => s.studyId === trial.studyId);
        expect(study.source, `${trial.studyTitle} ${side}`).toBe(trial.source);
        expectClose(trial[side].yi, study.yi, `${trial.studyTitle} ${side}.yi vs the cell`, CLOSE);
        expectClose(trial[side].vi, study.vi, `${trial.studyTitle} ${side}.vi vs the cell`, CLOSE);
        const input = cell.inputs.find((i: any) => i.studyId === trial.studyId);
        const recomputed = await effectOfData(input.data, measure);
        expectClose(trial[side].yi, recomputed.yi, `${trial.studyTitle} ${side}.yi vs effect-sizes`, CLOSE);
        expectClose(trial[side].vi, recomputed.vi, `${trial.studyTitle} ${side}.vi vs effect-sizes`, CLOSE);
      }
      expectClose(trial.yi, trial.a.yi - trial.b.yi, `${trial.studyTitle} yi`, CLOSE);
      expectClose(trial.vi, trial.a.vi + trial.b.vi, `${trial.studyTitle} vi`, CLOSE);
    }
  }

  /** Checks the pooled difference against POST /api/v1/meta-analysis on the included trials' {yi, vi}. */
  async function expectPooledAgreesWithCalculator(body: any) {
    const included = body.trials.filter((t: any) => !t.excluded);
    const reference = await team.observer.api.post("/api/v1/meta-analysis", {
      method: body.method,
      knha: body.knha,
      effects: included.map((t: any) => ({ label: t.studyTitle, yi: t.yi, vi: t.vi })),
    });
    expect(reference.status).toBe(200);
    expect(body.pooled.k).toBe(included.length);
    for (const [ours, theirs] of [
      ["yi", "estimate"],
      ["se", "se"],
      ["ciLower", "ciLower"],
      ["ciUpper", "ciUpper"],
      ["tau2", "tau2"],
      ["i2", "i2"],
      ["q", "q"],
      ["pval", "pval"],
    ] as const) {
      expectClose(body.pooled[ours], reference.body[theirs], `pooled ${ours}`, CLOSE);
    }
  }

  it("lists the two participant-level trials and the published one, each difference from the comparison's own effects, pooled", async () => {
    const response = await withinTrial(`${highLow()}&method=REML`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      row: ROW,
      measure: "SMD",
      method: "REML",
      ratio: false,
      a: { id: profiles.high, name: "High CRP" },
      b: { id: profiles.low, name: "Low CRP" },
      unpaired: [],
    });
    expect(body.trials).toHaveLength(3);
    const sourceOf = Object.fromEntries(body.trials.map((t: any) => [t.studyId, t.source]));
    expect(sourceOf).toEqual({ [studies.ipd1]: "participant", [studies.ipd2]: "participant", [studies.published]: "summary" });
    const published = body.trials.find((t: any) => t.studyId === studies.published);
    expect(published.provenance).toEqual({ a: "published result for “CRP > 3 mg/L”", b: "published result for “CRP < 1 mg/L”" });
    expect(published.a.n).toBe(82);
    expect(body.trials.every((t: any) => !t.excluded)).toBe(true);
    await expectTrialsAgreeWithCells(body, "method=REML");
    expect(body.pooled.k).toBe(3);
    await expectPooledAgreesWithCalculator(body);
  });

  it("pools with the method and Knapp–Hartung asked for", async () => {
    const response = await withinTrial(`${highLow()}&method=DL&knha=true`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ method: "DL", knha: true });
    await expectPooledAgreesWithCalculator(response.body);
  });

  it("keeps an excluded study in the list, marked, and pools one trial fewer", async () => {
    const response = await withinTrial(`${highLow()}&exclude=${studies.ipd2}`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.trials).toHaveLength(3);
    expect(body.trials.filter((t: any) => t.excluded).map((t: any) => t.studyId)).toEqual([studies.ipd2]);
    expect(body.pooled.k).toBe(2);
    await expectPooledAgreesWithCalculator(body);
  });

  it("works on raw mean differences", async () => {
    const response = await withinTrial(`${highLow()}&measure=MD`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({ measure: "MD", ratio: false });
    expect(body.trials).toHaveLength(3);
    const published = body.trials.find((t: any) => t.studyId === studies.published);
    expectClose(published.yi, 11.5 - 5.2 - (6.1 - 5.0), "published MD difference", CLOSE);
    await expectTrialsAgreeWithCells(body, "measure=MD");
    await expectPooledAgreesWithCalculator(body);
  });

  it("uses a trial's published subgroup results instead of its participants when asked to prefer summaries", async () => {
    const ipd1 = (await team.observer.api.get(`${ws()}/studies/${studies.ipd1}`)).body;
    await publish(ipd1, "CRP > 3 mg/L", profiles.high, [13.1, 5.0, 20], [4.8, 4.7, 21]);
    await publish(ipd1, "CRP < 1 mg/L", profiles.low, [5.9, 4.9, 18], [5.3, 5.2, 17]);

    const byDefault = (await withinTrial(highLow())).body;
    expect(byDefault.trials.find((t: any) => t.studyId === studies.ipd1).source).toBe("participant");

    const response = await withinTrial(`${highLow()}&prefer=summary&measure=MD`);
    expect(response.status).toBe(200);
    const body = response.body;
    const trial = body.trials.find((t: any) => t.studyId === studies.ipd1);
    expect(trial.source).toBe("summary");
    expect(trial.provenance).toEqual({ a: "published result for “CRP > 3 mg/L”", b: "published result for “CRP < 1 mg/L”" });
    expectClose(trial.a.yi, 13.1 - 4.8, "ipd1 published MD in High CRP", CLOSE);
    expectClose(trial.b.yi, 5.9 - 5.3, "ipd1 published MD in Low CRP", CLOSE);
    expect(body.trials.map((t: any) => t.source).sort()).toEqual(["participant", "summary", "summary"]);
    await expectTrialsAgreeWithCells(body, "prefer=summary&measure=MD");
    await expectPooledAgreesWithCalculator(body);
  });

  itWithR("exports the differences as CSV and as an R script that recomputes them from the inputs with metafor", async () => {
    const query = `row=${ROW}&a=${profiles.high}&b=${profiles.low}&exclude=${studies.ipd2}`;
    const csv = await team.observer.api.get(`${ws()}/comparison/within-trial.csv?${query}`);
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[1]).toMatch(/^row_type,study_id,study,intervention,source,excluded,yi_a,vi_a,yi_b,vi_b,yi,vi/);
    expect(lines.filter((l: string) => l.startsWith("trial,"))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^pooled,/);
    const script = await team.observer.api.get(`${ws()}/comparison/within-trial.R?${query}`);
    expect(script.status).toBe(200);
    const inputsUrl = new URL(script.body.match(/^#\s+(http\S+\/comparison\/inputs\.csv\S*)$/m)![1]);
    const inputs = await team.observer.api.get(inputsUrl.pathname + inputsUrl.search);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-within-"));
    fs.writeFileSync(path.join(dir, "comparison-inputs.csv"), inputs.body);
    fs.writeFileSync(path.join(dir, "within-trial.R"), script.body);
    const output = await runR(["within-trial.R"], { cwd: dir });
    expect(output).toContain("The numbers agree with Consilience.");
    // The excluded study is not pooled in R either: k = 2.
    expect(output).toMatch(/k = 2/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the same profile twice, an unknown profile and an unknown row, naming the field", async () => {
    const same = await withinTrial(`a=${profiles.high}&b=${profiles.high}`);
    expect(same.status).toBe(400);
    expect(same.body.error.details[0].field).toBe("b");
    const unknownA = await withinTrial(`a=no-such-profile&b=${profiles.low}`);
    expect(unknownA.status).toBe(400);
    expect(unknownA.body.error.details[0].field).toBe("a");
    const unknownB = await withinTrial(`a=${profiles.high}&b=no-such-profile`);
    expect(unknownB.status).toBe(400);
    expect(unknownB.body.error.details[0].field).toBe("b");
    const row = await team.observer.api.get(`${ws()}/comparison/within-trial?row=intervention:no-such-drug&${highLow()}`);
    expect(row.status).toBe(404);
  });

  it("lets an observer read it and hides it from an outsider", async () => {
    expect((await withinTrial(highLow(), team.observer)).status).toBe(200);
    expect((await withinTrial(highLow(), team.outsider)).status).toBe(404);
  });
});
