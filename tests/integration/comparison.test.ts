/**
 * Patient profiles and the comparison through the API, as a consortium uses
 * them: profiles applied after unit harmonisation, published results mapped
 * to profiles, the matrix the page shows, and who may change what.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { signInForSessionCookie, workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

/** Deterministic participants, CRP in mg/L, including values on the cut-offs (1 and 3 mg/L). */
function participants(count: number) {
  let state = 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = i % 10 === 0 ? 3 : i % 10 === 5 ? 1 : Number((0.2 + next() * 8).toFixed(2));
    const bmi = Number((24 + next() * 12).toFixed(1));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" && crp > 3 ? 9 : 4) + next() * 6);
    return { id: `P${String(i + 1).padStart(3, "0")}`, arm, crp, bmi: i === 7 ? null : bmi, baseline, week8: baseline - drop };
  });
}

function csv(unit: "mg/L" | "mg/dL") {
  const rows = participants(80).map((p) =>
    [p.id, p.arm, unit === "mg/L" ? p.crp : Number((p.crp / 10).toFixed(4)), p.bmi ?? "", p.baseline, p.week8].join(","),
  );
  return [`participant_id,arm,CRP (${unit}),BMI (kg/m2),hamd_baseline,hamd_week8`, ...rows].join("\n");
}

describe("patient profiles and the comparison", () => {
  const server = useServer();
  let team: Team;
  let panelId: string;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  const studies: Record<string, string> = {};
  const datasets: Record<string, string> = {};

  async function study(
    title: string,
    arms = [
      { name: "infliximab", class: "anti-inflammatory" },
      { name: "placebo", class: "placebo" },
    ],
  ) {
    const created = await team.contributor.api.post(`${ws()}/studies`, {
      title,
      panelId,
      arms,
      outcomes: [{ name: "HAM-D change from baseline", kind: "continuous" }],
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    const panel = await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true });
    panelId = panel.body.id;
    for (const unit of ["mg/dL", "mg/L"] as const) {
      const s = await study(`Trial reporting CRP in ${unit}`);
      studies[unit] = s.id;
      const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, s.id, csv(unit), { name: `Synthetic ${unit}` });
      expect(uploaded.status).toBe(201);
      datasets[unit] = uploaded.body.id;
    }
  });

  const profile = (name: string, items: unknown[], op = "and") =>
    team.contributor.api.post(`${ws()}/profiles`, { name, criteria: { op, items } });
  const crp = (operator: string, value: number, unit = "mg/L") => ({ kind: "biomarker", code: "hs_crp", operator, value, unit });
  const bmi30 = { kind: "biomarker", code: "bmi", operator: ">=", value: 30, unit: "kg/m2" };

  it("counts the same participants in a dataset reported in mg/dL as in the same data in mg/L", async () => {
    const high = await profile("Immuno-metabolic", [crp(">", 3), bmi30]);
    expect(high.status).toBe(201);
    expect(high.body).toMatchObject({ version: 1, text: "hs-CRP > 3 mg/L and BMI ≥ 30 kg/m2" });
    const low = await profile("Low CRP", [crp("<", 1)]);
    const inDl = await profile("High CRP, written in mg/dL", [crp(">", 0.3, "mg/dL")]);
    const inL = await profile("High CRP", [crp(">", 3)]);

    for (const p of [high.body, low.body, inDl.body, inL.body]) {
      const counts = await team.observer.api.get(`${ws()}/profiles/${p.id}/counts`);
      expect(counts.status).toBe(200);
      const byDataset = Object.fromEntries(counts.body.items.map((d: any) => [d.datasetId, d]));
      const dl = byDataset[datasets["mg/dL"]];
      const l = byDataset[datasets["mg/L"]];
      expect(dl.evaluable && l.evaluable).toBe(true);
      expect(dl.arms).toEqual(l.arms);
      expect(dl.arms.reduce((t: number, a: any) => t + a.matched, 0)).toBeGreaterThan(0);
    }
    // The same cut-off written in either unit selects the same people.
    const a = await team.observer.api.get(`${ws()}/profiles/${inDl.body.id}/counts`);
    const b = await team.observer.api.get(`${ws()}/profiles/${inL.body.id}/counts`);
    expect(a.body.items.map((d: any) => d.arms)).toEqual(b.body.items.map((d: any) => d.arms));
    // One participant has no BMI: undecided for the immuno-metabolic profile when their CRP is high.
    const im = await team.observer.api.get(`${ws()}/profiles/${high.body.id}/counts`);
    expect(im.body.items[0].arms.reduce((t: number, a: any) => t + a.missing, 0)).toBeLessThanOrEqual(1);
  });

  it("says which datasets a profile cannot be applied to, and why", async () => {
    const homa = await profile("Insulin resistant", [{ kind: "biomarker", code: "homa_ir", operator: ">=", value: 2.9, unit: "" }]);
    const counts = await team.observer.api.get(`${ws()}/profiles/${homa.body.id}/counts`);
    expect(counts.body.items.every((d: any) => !d.evaluable && d.problems[0].reason === "biomarker_missing")).toBe(true);
    const unknown = await profile("Bad", [{ kind: "biomarker", code: "nope", operator: ">", value: 1, unit: "" }]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe("criteria.items.0.code");
    const badUnit = await profile("Bad unit", [crp(">", 3, "kg")]);
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.error.details[0].field).toBe("criteria.items.0.unit");
  });

  it("versions profile edits and refuses a stale one with the current version", async () => {
    const created = await profile("Editable", [crp(">", 3)]);
    const edited = await team.contributor.api.patch(`${ws()}/profiles/${created.body.id}`, {
      baseVersion: 1,
      criteria: { op: "and", items: [crp(">", 5)] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, text: "hs-CRP > 5 mg/L" });
    const stale = await team.lead.api.patch(`${ws()}/profiles/${created.body.id}`, { baseVersion: 1, name: "Overwritten" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0]).toMatchObject({ currentVersion: 2, current: { text: "hs-CRP > 5 mg/L" } });
    const versions = await team.observer.api.get(`${ws()}/profiles/${created.body.id}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.text])).toEqual([
      [2, "hs-CRP > 5 mg/L"],
      [1, "hs-CRP > 3 mg/L"],
    ]);
  });

  it("lets an observer view profiles and the comparison but not change them", async () => {
    const list = await team.observer.api.get(`${ws()}/profiles`);
    expect(list.status).toBe(200);
    const target = list.body.items[0];
    const before = JSON.stringify(list.body);
    expect((await team.observer.api.post(`${ws()}/profiles`, { name: "Mine", criteria: { op: "and", items: [crp(">", 3)] } })).status).toBe(
      403,
    );
    expect((await team.observer.api.patch(`${ws()}/profiles/${target.id}`, { baseVersion: target.version, name: "Renamed" })).status).toBe(
      403,
    );
    expect((await team.observer.api.get(`${ws()}/comparison`)).status).toBe(200);
    expect(JSON.stringify((await team.observer.api.get(`${ws()}/profiles`)).body)).toBe(before);
    expect((await team.outsider.api.get(`${ws()}/profiles`)).status).toBe(404);
    expect((await team.outsider.api.get(`${ws()}/comparison`)).status).toBe(404);
  });

  it("maps a published subgroup result to a profile, shows the cut-off mismatch, and pools it with participant-level data", async () => {
    const published = await study("Published trial, CRP > 5 only");
    const result = await team.contributor.api.post(`${ws()}/results`, {
      studyId: published.id,
      outcomeId: published.outcomes[0].id,
      interventionArmId: published.arms[0].id,
      comparatorArmId: published.arms[1].id,
      subgroup: "hs-CRP > 5 mg/L",
      data: { type: "continuous", intervention: { mean: 11, sd: 5, n: 20 }, comparator: { mean: 5, sd: 5, n: 20 } },
    });
    expect(result.status).toBe(201);
    const profiles = (await team.observer.api.get(`${ws()}/profiles`)).body.items;
    const high = profiles.find((p: any) => p.name === "High CRP");
    expect((await team.observer.api.request("PUT", `${ws()}/results/${result.body.id}/profile`, { profileId: high.id })).status).toBe(403);
    const mapped = await team.contributor.api.request("PUT", `${ws()}/results/${result.body.id}/profile`, { profileId: high.id });
    expect(mapped.status).toBe(200);
    expect(mapped.body).toMatchObject({ profileId: high.id, cutoffMatches: false });
    expect(mapped.body.cutoffDifferences).toEqual(["Cut-off differs: the subgroup is hs-CRP > 5 mg/L, the profile hs-CRP > 3 mg/L."]);

    const comparison = await team.observer.api.get(`${ws()}/comparison?method=REML`);
    expect(comparison.status).toBe(200);
    expect(comparison.body).toMatchObject({ measure: "SMD", method: "REML", outcome: { name: "HAM-D change from baseline" } });
    const column = comparison.body.profiles.findIndex((p: any) => p.id === high.id);
    const row = comparison.body.rows.find((r: any) => r.key === "intervention:infliximab");
    expect(row.cells[column]).toMatchObject({ k: 3, sources: { participant: 2, summary: 1 } });
    const summaryInput = comparison.body.inputs.find((i: any) => i.resultId === result.body.id);
    expect(summaryInput).toMatchObject({ source: "summary", subgroup: "hs-CRP > 5 mg/L", resultVersion: 1 });

    // Excluding a study changes the cell, and the forest data agree with the matrix.
    const without = await team.observer.api.get(`${ws()}/comparison?exclude=${published.id}`);
    expect(without.body.rows.find((r: any) => r.key === "intervention:infliximab").cells[column]).toMatchObject({ k: 2 });
    const cell = await team.observer.api.get(`${ws()}/comparison/cell?row=intervention:infliximab&profile=${high.id}`);
    expect(cell.status).toBe(200);
    expect(cell.body.forest.groups[0].pooled.estimate).toBe(row.cells[column].estimate);
    expect(cell.body.forest.groups[0].studies).toHaveLength(3);
  });

  it("returns the same matrix to the API as the page shows", async () => {
    const api = await team.observer.api.get(`${ws()}/comparison`);
    const cookie = await signInForSessionCookie(server.url, team.observer.email);
    const page = `${server.url}/workspaces/${team.workspaceId}/comparison`;
    const data = await fetch(`${page}?_data=${encodeURIComponent("routes/workspaces.$workspaceId.comparison")}`, { headers: { cookie } });
    expect(data.status).toBe(200);
    const { view } = await data.json();
    const numbers = (rows: any[], cellsOf: (r: any) => any[]) =>
      rows.map((r) => [r.key, cellsOf(r).map((c: any) => (c && c.k ? [c.k, c.n, c.estimate, c.ciLower, c.ciUpper, c.i2, c.tau2] : null))]);
    expect(numbers(view.rows, (r) => r.cells)).toEqual(numbers(api.body.rows, (r) => r.cells));
    expect(view.profiles.map((p: any) => p.id)).toEqual(api.body.profiles.map((p: any) => p.id));

    const html = await (await fetch(page, { headers: { cookie } })).text();
    const first = api.body.rows[0].cells.find((c: any) => c.k > 0);
    expect(html).toContain(first.estimate.toFixed(2).replace("-", "−"));
  });

  itWithR("exports the matrix and inputs as CSV, and an R script that reproduces a cell with metafor", async () => {
    const matrix = await team.observer.api.get(`${ws()}/comparison.csv`);
    expect(matrix.status).toBe(200);
    expect(matrix.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(matrix.body.split("\r\n")[0]).toMatch(/^row_key,row_kind,class,intervention,profile_id,profile,outcome,measure,method,k,n/);
    const inputs = await team.observer.api.get(`${ws()}/comparison/inputs.csv`);
    expect(inputs.body).toContain(datasets["mg/dL"]);
    const profiles = (await team.observer.api.get(`${ws()}/profiles`)).body.items;
    const high = profiles.find((p: any) => p.name === "High CRP");
    const script = await team.observer.api.get(`${ws()}/comparison/cell.R?row=intervention:infliximab&profile=${high.id}`);
    expect(script.status).toBe(200);
    expect(script.body).toContain("library(metafor)");
    const rowScript = await team.observer.api.get(`${ws()}/comparison/cell.R?row=intervention:infliximab`);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-r-"));
    fs.writeFileSync(path.join(dir, "comparison-inputs.csv"), inputs.body);
    for (const [name, text] of [
      ["cell.R", script.body],
      ["row.R", rowScript.body],
    ] as const) {
      fs.writeFileSync(path.join(dir, name), text);
      const output = await runR([name], { cwd: dir });
      expect(output).toContain("The numbers agree with Consilience.");
    }
  });
});
