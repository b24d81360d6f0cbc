/**
 * The workspace's effect-modification view through the API, as a consortium
 * uses it: trials of anti-inflammatory drugs against placebo uploaded as
 * participant-level data, the treatment × hs-CRP interaction within each trial
 * and pooled, agreeing with the stateless calculator on the very rows the view
 * exports; biomarker units and scales; exclusions, classes and single
 * interventions; the across-trial check; a new dataset version; a binary
 * outcome with separation; bad queries; who may read it and the exports.
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

const RELATIVE = { relative: 1e-9, floor: 1e-12 };

interface Participant {
  id: string;
  arm: string;
  crp: number;
  bmi: number;
  baseline: number;
  week8: number;
  response: 0 | 1;
}

/**
 * Deterministic participants whose benefit from an active arm grows with CRP
 * (about 1.5 HAM-D points more per doubling, and higher odds of response).
 * `separatedArm`: in that arm response is exactly CRP > 3 mg/L, so a logistic
 * fit has no finite maximum.
 */
function participants(seed: number, count: number, arms: string[], separatedArm?: string): Participant[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, i) => {
    const arm = arms[i % arms.length];
    const active = arm !== "placebo";
    const crp = Number(Math.exp(-1.5 + 4 * next()).toFixed(2));
    const bmi = Number((22 + 14 * next()).toFixed(1));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = 4 + 6 * next() + (active ? 1 + 1.5 * Math.log2(crp) + 0.1 * (bmi - 28) : 0);
    const chance = 1 / (1 + Math.exp(-(-0.5 + (active ? 0.8 * Math.log2(crp) : 0))));
    const response: 0 | 1 = arm === separatedArm ? (crp > 3 ? 1 : 0) : next() < chance ? 1 : 0;
    return { id: `P${String(i + 1).padStart(3, "0")}`, arm, crp, bmi, baseline, week8: Math.round(baseline - drop), response };
  });
}

function csv(people: Participant[], unit: "mg/L" | "mg/dL") {
  const rows = people.map((p) =>
    [p.id, p.arm, unit === "mg/L" ? p.crp : Number((p.crp / 10).toFixed(4)), p.bmi, p.baseline, p.week8, p.response].join(","),
  );
  return [`participant_id,arm,CRP (${unit}),BMI (kg/m2),hamd_baseline,hamd_week8,response`, ...rows].join("\n");
}

/** data.csv rows grouped by trial key, as the calculator takes them (arm 1 → intervention). */
function trialsFromDataCsv(text: string) {
  const [header, ...lines] = text.split("\r\n").filter(Boolean);
  expect(header).toBe("trial,arm,x,y");
  const byTrial = new Map<string, { arm: "intervention" | "comparator"; x: number; y: number }[]>();
  for (const line of lines) {
    const [trial, arm, x, y] = line.split(",");
    const rows = byTrial.get(trial) ?? [];
    rows.push({ arm: arm === "1" ? "intervention" : "comparator", x: Number(x), y: Number(y) });
    byTrial.set(trial, rows);
  }
  return [...byTrial].map(([label, rows]) => ({ label, rows }));
}

const POOLED_FIELDS = ["estimate", "se", "ciLower", "ciUpper", "tau2", "i2", "q", "piLower", "piUpper"] as const;

describe("the workspace's effect-modification view", () => {
  const server = useServer();

  /** Creates a study on a panel and uploads its participants; answers the study and dataset. */
  async function trialStudy(
    team: Team,
    panelId: string,
    title: string,
    arms: { name: string; class: string }[],
    file: string,
    datasetName = "Participants",
  ) {
    const ws = `/api/v1/workspaces/${team.workspaceId}`;
    const created = await team.contributor.api.post(`${ws}/studies`, {
      title,
      panelId,
      arms,
      outcomes: [
        { name: "HAM-D change", kind: "continuous" },
        { name: "Response", kind: "binary" },
      ],
    });
    expect(created.status).toBe(201);
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, created.body.id, file, { name: datasetName });
    expect(uploaded.status).toBe(201);
    return { studyId: created.body.id as string, datasetId: uploaded.body.id as string };
  }

  const infliximab = [
    { name: "infliximab", class: "anti-inflammatory" },
    { name: "placebo", class: "placebo" },
  ];
  const threeArms = [
    { name: "celecoxib", class: "anti-inflammatory" },
    { name: "minocycline", class: "anti-inflammatory" },
    { name: "placebo", class: "placebo" },
  ];

  describe("three trials of anti-inflammatory drugs against placebo", () => {
    let team: Team;
    let panelId: string;
    const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
    const view = (query: string, api = team.observer.api) => api.get(`${ws()}/effect-modification?${query}`);
    const CLASS = "intervention=class:anti-inflammatory";
    let alpha: { studyId: string; datasetId: string };

    beforeAll(async () => {
      team = await workspaceWithRoles(server.url);
      const panel = await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true });
      panelId = panel.body.id;
      alpha = await trialStudy(team, panelId, "Alpha trial", infliximab, csv(participants(11, 80, ["infliximab", "placebo"]), "mg/L"));
      await trialStudy(team, panelId, "Beta trial", infliximab, csv(participants(23, 80, ["infliximab", "placebo"]), "mg/dL"));
      await trialStudy(
        team,
        panelId,
        "Gamma trial",
        threeArms,
        csv(participants(37, 120, ["celecoxib", "minocycline", "placebo"], "minocycline"), "mg/L"),
      );
    });

    it("defaults to hs-CRP per doubling and pools every arm of the class, one trial per active arm", async () => {
      const res = await view(`outcome=HAM-D change&${CLASS}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        outcome: { name: "HAM-D change", kind: "continuous" },
        intervention: "class:anti-inflammatory",
        biomarker: { code: "hs_crp", unit: "mg/L" },
        transform: { scale: "log2", per: 1 },
        transformText: "per doubling of hs-CRP",
        method: "REML",
      });
      expect(res.body.trials.map((t: any) => [t.studyTitle, t.interventionName])).toEqual([
        ["Alpha trial", "infliximab"],
        ["Beta trial", "infliximab"],
        ["Gamma trial", "celecoxib"],
        ["Gamma trial", "minocycline"],
      ]);
      expect(res.body.trials.every((t: any) => t.fit !== null && t.comparatorName === "placebo")).toBe(true);
      expect(res.body.trials.map((t: any) => t.n)).toEqual([80, 80, 80, 80]);
      expect(res.body.pooled.k).toBe(4);
      // The data were made with benefit growing by about 1.5 points per doubling of CRP.
      expect(res.body.pooled.estimate).toBeGreaterThan(0.5);
      expect(res.body.pooled.estimate).toBeLessThan(2.5);
      // The trial that reported mg/dL says so.
      const beta = res.body.trials.find((t: any) => t.studyTitle === "Beta trial");
      expect(beta.conversion).toMatch(/mg\/dL/);
      expect(res.body.trials.find((t: any) => t.studyTitle === "Alpha trial").conversion).toBeNull();
    });

    it("gives per trial and pooled the interactions the calculator gives for the rows of data.csv", async () => {
      for (const query of [`outcome=HAM-D change&${CLASS}`, `outcome=HAM-D change&${CLASS}&scale=linear&method=DL`]) {
        const res = await view(query);
        const data = await team.observer.api.get(`${ws()}/effect-modification/data.csv?${query}`);
        expect(data.status).toBe(200);
        expect(data.headers.get("content-type")).toMatch(/^text\/csv/);
        const trials = trialsFromDataCsv(data.body);
        expect(trials.map((t) => t.label)).toEqual(res.body.trials.map((t: any) => t.key));
        const calculated = await team.observer.api.post("/api/v1/effect-modification", {
          outcome: "continuous",
          method: res.body.method,
          trials,
        });
        expect(calculated.status).toBe(200);
        for (const trial of res.body.trials) {
          const reference = calculated.body.perTrial.find((t: any) => t.label === trial.key);
          expect(trial.n).toBe(reference.n);
          for (const field of ["interaction", "se", "ciLower", "ciUpper", "effectAtZero"] as const) {
            expectClose(trial.fit[field], reference[field], `${trial.studyTitle} ${trial.interventionName}: ${field}`, RELATIVE);
          }
        }
        expect(res.body.pooled.k).toBe(calculated.body.pooled.k);
        for (const field of POOLED_FIELDS) expectClose(res.body.pooled[field], calculated.body.pooled[field], `pooled ${field}`, RELATIVE);
      }
    });

    it("reports the interaction on ln(CRP) as the one per doubling divided by ln 2, and BMI per 5 kg/m2 by default", async () => {
      const log2 = (await view(`outcome=HAM-D change&${CLASS}&scale=log2`)).body;
      const log = (await view(`outcome=HAM-D change&${CLASS}&scale=log`)).body;
      expect(log.transform).toEqual({ scale: "log", per: 1 });
      log2.trials.forEach((t: any, i: number) =>
        expectClose(log.trials[i].fit.interaction, t.fit.interaction / Math.LN2, `${t.key} on ln`, RELATIVE),
      );
      expectClose(log.pooled.estimate, log2.pooled.estimate / Math.LN2, "pooled on ln", RELATIVE);

      const bmi = (await view(`outcome=HAM-D change&${CLASS}&biomarker=bmi`)).body;
      expect(bmi).toMatchObject({ biomarker: { code: "bmi", unit: "kg/m2" }, transform: { scale: "linear", per: 5 } });
      expect(bmi.transformText).toBe("per 5 kg/m2 of BMI");
      const perUnit = (await view(`outcome=HAM-D change&${CLASS}&biomarker=bmi&scale=linear&per=1`)).body;
      bmi.trials.forEach((t: any, i: number) =>
        expectClose(t.fit.interaction, 5 * perUnit.trials[i].fit.interaction, `${t.key} per 5 kg/m2`, RELATIVE),
      );
    });

    it("leaves an excluded trial out of the pooling but still lists it", async () => {
      const all = (await view(`outcome=HAM-D change&${CLASS}`)).body;
      const left = all.trials[2];
      const without = await view(`outcome=HAM-D change&${CLASS}&exclude=${encodeURIComponent(left.key)}`);
      expect(without.status).toBe(200);
      expect(without.body.exclude).toEqual([left.key]);
      expect(without.body.pooled.k).toBe(all.pooled.k - 1);
      expect(without.body.trials.map((t: any) => t.key)).toEqual(all.trials.map((t: any) => t.key));
      expect(without.body.trials[2].fit).toEqual(left.fit);
      expect(without.body.pooled.estimate).not.toBe(all.pooled.estimate);

      const table = await team.observer.api.get(`${ws()}/effect-modification.csv?outcome=HAM-D change&${CLASS}&exclude=${left.key}`);
      const excludedLine = table.body.split("\r\n").find((line: string) => line.startsWith(`trial,${left.key},`));
      expect(excludedLine).toMatch(/,no,.*excluded by the user$/);
    });

    it("pools only its own trials for an intervention named in any case", async () => {
      const res = await view("outcome=HAM-D change&intervention=Infliximab");
      expect(res.status).toBe(200);
      expect(res.body.intervention).toBe("infliximab");
      expect(res.body.trials.map((t: any) => t.studyTitle)).toEqual(["Alpha trial", "Beta trial"]);
      expect(res.body.pooled.k).toBe(2);
      const celecoxib = await view("outcome=HAM-D change&intervention=celecoxib");
      expect(celecoxib.body.trials.map((t: any) => [t.studyTitle, t.interventionName])).toEqual([["Gamma trial", "celecoxib"]]);
      expect(celecoxib.body.pooled.k).toBe(1);
      // The class lists itself first among the choices, then each intervention.
      expect(res.body.interventions.map((i: any) => [i.key, i.kind])).toEqual([
        ["class:anti-inflammatory", "class"],
        ["infliximab", "intervention"],
        ["celecoxib", "intervention"],
        ["minocycline", "intervention"],
      ]);
    });

    it("gives the across-trial slope with three trials or more, and says why not with two", async () => {
      const three = (await view(`outcome=HAM-D change&${CLASS}`)).body;
      expect(three.across).toMatchObject({ ok: true, k: 4 });
      expect(Number.isFinite(three.across.slope)).toBe(true);
      expect(Number.isFinite(three.across.differenceP)).toBe(true);
      const two = (await view("outcome=HAM-D change&intervention=infliximab")).body;
      expect(two.across.ok).toBe(false);
      expect(two.across.reason).toMatch(/at least three trials/);
      expect(two.across.slope).toBeUndefined();
    });

    it("fits a binary outcome by logistic regression and leaves a trial with separation out of the pooling, saying why", async () => {
      const res = await view(`outcome=Response&${CLASS}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ outcome: { name: "Response", kind: "binary" }, effectScale: "log odds ratio" });
      const separated = res.body.trials.find((t: any) => t.interventionName === "minocycline");
      expect(separated.fit).toBeNull();
      expect(separated.n).toBe(80);
      expect(separated.note).toMatch(/^This trial is left out of the pooling: .*separation/);
      expect(res.body.pooled.k).toBe(3);

      const query = `outcome=Response&${CLASS}`;
      const trials = trialsFromDataCsv((await team.observer.api.get(`${ws()}/effect-modification/data.csv?${query}`)).body);
      // The data CSV holds the fitted trials only.
      expect(trials.map((t) => t.label)).toEqual(res.body.trials.filter((t: any) => t.fit).map((t: any) => t.key));
      const calculated = await team.observer.api.post("/api/v1/effect-modification", { outcome: "binary", method: "REML", trials });
      expect(calculated.status).toBe(200);
      for (const reference of calculated.body.perTrial) {
        const trial = res.body.trials.find((t: any) => t.key === reference.label);
        expectClose(trial.fit.interaction, reference.interaction, `${trial.studyTitle}: log odds ratio interaction`, RELATIVE);
        expectClose(trial.fit.se, reference.se, `${trial.studyTitle}: se`, RELATIVE);
      }
      for (const field of POOLED_FIELDS) expectClose(res.body.pooled[field], calculated.body.pooled[field], `pooled ${field}`, RELATIVE);

      const table = await team.observer.api.get(`${ws()}/effect-modification.csv?${query}`);
      const line = table.body.split("\r\n").find((l: string) => l.startsWith(`trial,${separated.key},`));
      expect(line).toContain("separation");
    });

    it("refuses a bad query with 400 naming the field, and writes nothing", async () => {
      const before = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length;
      for (const [query, field] of [
        ["biomarker=unobtainium", "biomarker"],
        ["intervention=homeopathy", "intervention"],
        ["per=0&scale=linear", "per"],
        ["scale=cubic", "scale"],
      ] as const) {
        for (const suffix of ["", ".csv", "/data.csv", ".R"]) {
          const res = await team.observer.api.get(`${ws()}/effect-modification${suffix}?outcome=HAM-D change&${query}`);
          expect(res.status, `${suffix} ${query}`).toBe(400);
          expect(res.body.error.code).toBe("validation_failed");
          expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
          expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
        }
      }
      expect((await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length).toBe(before);
    });

    it("lets an observer read the view and its exports, and no outsider", async () => {
      const query = `outcome=HAM-D change&${CLASS}`;
      const res = await view(query);
      expect(res.status).toBe(200);
      expect((await view(query, team.outsider.api)).status).toBe(404);
      expect((await team.outsider.api.get(`${ws()}/effect-modification.csv?${query}`)).status).toBe(404);

      const table = await team.observer.api.get(`${ws()}/effect-modification.csv?${query}`);
      expect(table.status).toBe(200);
      expect(table.headers.get("content-type")).toMatch(/^text\/csv/);
      const lines: string[] = table.body.split("\r\n");
      expect(lines[1]).toMatch(/^row_type,trial_key,study,/);
      expect(lines.filter((l) => l.startsWith("trial,"))).toHaveLength(4);
      const pooled = lines.find((l) => l.startsWith("pooled,"));
      expect(pooled).toBeDefined();
      expect(pooled).toContain(String(res.body.pooled.estimate));
      expect(pooled).toMatch(/,"REML, k = 4"$/);
      expect(lines.some((l) => l.startsWith("across_trials,"))).toBe(true);

      const script = await team.observer.api.get(`${ws()}/effect-modification.R?${encodeURI(query)}`);
      expect(script.status).toBe(200);
      expect(script.body).toContain("library(metafor)");
      // The script names the data it refits: following that link gives the data CSV of the same query.
      const named = /^# {3}(http\S+)$/m.exec(script.body)?.[1];
      expect(named).toBeDefined();
      const dataUrl = new URL(named!);
      expect(dataUrl.origin).toBe(server.url);
      expect(dataUrl.pathname).toBe(`${ws()}/effect-modification/data.csv`);
      const linked = await team.observer.api.get(dataUrl.pathname + dataUrl.search);
      const direct = await team.observer.api.get(`${ws()}/effect-modification/data.csv?${encodeURI(query)}`);
      expect(linked.status).toBe(200);
      expect(linked.body).toBe(direct.body);
      for (const trial of res.body.trials) expect(script.body).toContain(`"${trial.key}"`);
    });

    itWithR("exports an R script that refits every trial from data.csv and finds the same numbers", async () => {
      const query = encodeURI(`outcome=HAM-D change&${CLASS}`);
      const script = await team.observer.api.get(`${ws()}/effect-modification.R?${query}`);
      const data = await team.observer.api.get(`${ws()}/effect-modification/data.csv?${query}`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-em-"));
      fs.writeFileSync(path.join(dir, "effect-modification-data.csv"), data.body);
      fs.writeFileSync(path.join(dir, "analysis.R"), script.body);
      const output = await runR(["analysis.R"], { cwd: dir });
      expect(output).toContain("The numbers agree with Consilience.");
    });

    it("refits a trial whose dataset has a new version, instead of serving the old fit", async () => {
      const query = "outcome=HAM-D change&intervention=infliximab&scale=linear";
      const before = (await view(query)).body;
      const old = before.trials.find((t: any) => t.studyTitle === "Alpha trial");
      expect(old.datasetId).toBe(alpha.datasetId);
      const reuploaded = await uploadDataset(
        team.contributor.api,
        team.workspaceId,
        alpha.studyId,
        csv(participants(97, 60, ["infliximab", "placebo"]), "mg/L"),
        { name: "Participants" },
      );
      expect(reuploaded.status).toBe(201);
      expect(reuploaded.body.version).toBe(2);

      const after = (await view(query)).body;
      const fresh = after.trials.find((t: any) => t.studyTitle === "Alpha trial");
      expect(after.trials).toHaveLength(2);
      expect(fresh).toMatchObject({ datasetId: reuploaded.body.id, datasetVersion: 2, n: 60 });
      expect(fresh.key).not.toBe(old.key);
      expect(fresh.fit.interaction).not.toBe(old.fit.interaction);
      expect(after.pooled.estimate).not.toBe(before.pooled.estimate);
      // The other trial's fit is untouched.
      const beta = (body: any) => body.trials.find((t: any) => t.studyTitle === "Beta trial");
      expect(beta(after)).toEqual(beta(before));

      // And the new rows are what the view fitted.
      const trials = trialsFromDataCsv((await team.observer.api.get(`${ws()}/effect-modification/data.csv?${query}`)).body);
      const calculated = await team.observer.api.post("/api/v1/effect-modification", { outcome: "continuous", trials });
      const reference = calculated.body.perTrial.find((t: any) => t.label === fresh.key);
      expectClose(fresh.fit.interaction, reference.interaction, "new version's interaction", RELATIVE);
    });
  });

  describe("the same participants with CRP in mg/L and in mg/dL", () => {
    let team: Team;
    const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

    beforeAll(async () => {
      team = await workspaceWithRoles(server.url);
      const core = await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true });
      // A site's own panel keeps hs-CRP in mg/dL: its data are stored in mg/dL and converted only by the analysis.
      const site = await team.lead.api.post(`${ws()}/panels`, { name: "Site panel", fromDefault: true });
      const crp = site.body.biomarkers.find((b: any) => b.code === "hs_crp");
      const edited = await team.lead.api.patch(`${ws()}/panels/${site.body.id}/biomarkers/${crp.id}`, { unit: "mg/dL", baseVersion: 1 });
      expect(edited.status).toBe(200);
      const people = participants(5, 90, ["infliximab", "placebo"]);
      await trialStudy(team, core.body.id, "1 Reported in mg/L", infliximab, csv(people, "mg/L"));
      await trialStudy(team, core.body.id, "2 Reported in mg/dL, converted at import", infliximab, csv(people, "mg/dL"));
      await trialStudy(team, site.body.id, "3 Reported and stored in mg/dL", infliximab, csv(people, "mg/dL"));
    });

    it("gives the same interaction per 1 mg/L whichever unit the trial reported, and says how it was converted", async () => {
      for (const scale of ["linear", "log2"]) {
        const res = await team.observer.api.get(`${ws()}/effect-modification?outcome=HAM-D change&intervention=infliximab&scale=${scale}`);
        expect(res.status).toBe(200);
        expect(res.body.biomarker.unit).toBe("mg/L");
        const [inL, atImport, inDl] = res.body.trials;
        expect(res.body.trials.map((t: any) => t.studyTitle)).toEqual([
          "1 Reported in mg/L",
          "2 Reported in mg/dL, converted at import",
          "3 Reported and stored in mg/dL",
        ]);
        for (const other of [atImport, inDl]) {
          expect(other.n).toBe(inL.n);
          for (const field of ["interaction", "se", "xMean", "xMin", "xMax"] as const) {
            expectClose(other.fit[field], inL.fit[field], `${other.studyTitle} (${scale}): ${field}`, RELATIVE);
          }
        }
        if (scale === "linear") {
          expect(res.body.transform).toEqual({ scale: "linear", per: 1 });
          expect(res.body.transformText).toBe("per 1 mg/L of hs-CRP");
          // The values are in mg/L: the mg/L file's largest CRP is the analysis's largest x.
          expect(inL.fit.xMax).toBe(Math.max(...participants(5, 90, ["infliximab", "placebo"]).map((p) => p.crp)));
        }
        expect(inL.conversion).toBeNull();
        expect(atImport.conversion).toMatch(/^stored in mg\/L at import: .*mg\/dL/);
        expect(inDl.conversion).toMatch(/mg\/dL/);
        expect(inDl.conversion).not.toMatch(/at import/);
        expect(inDl.columnName).toBe("CRP (mg/dL)");
      }
    });
  });
});
