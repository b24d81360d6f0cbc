/**
 * Site summaries end to end, as a partner whose data cannot leave the site
 * would do it: the study's site kit and the bundled script are downloaded from
 * the running app, the script is run with node on a CSV the code has never
 * seen (generated here from a seed that changes every run), in a directory of
 * its own, with the network taken away, and what it writes is checked against
 * counts made here and against POST /api/v1/effect-modification on the same rows.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const SEED = Date.now() % 2147483647;

interface Participant {
  id: string;
  arm: string;
  /** mg/L; the file reports it in mg/dL. */
  crp: number;
  baseline: number;
  week8: number;
  response: 0 | 1;
}

/** Participants from the seed: two large arms and one of four (always withheld), benefit growing with CRP. */
function participants(seed: number): Participant[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sizes: [string, number][] = [
    ["infliximab", 20 + Math.floor(next() * 25)],
    ["placebo", 20 + Math.floor(next() * 25)],
    ["etanercept", 4],
  ];
  const rows: Participant[] = [];
  for (const [arm, size] of sizes) {
    for (let i = 0; i < size; i++) {
      const crp = Math.round((0.3 + next() ** 2 * 12) * 100) / 100;
      const baseline = 16 + Math.floor(next() * 12);
      const drop = Math.round((arm === "placebo" ? 4 : 3 + crp * 0.7) + (next() - 0.5) * 10);
      rows.push({
        id: `S${seed % 1000}-${rows.length + 1}`,
        arm,
        crp,
        baseline,
        week8: baseline - drop,
        response: next() < (arm === "placebo" ? 0.35 : 0.3 + crp / 30) ? 1 : 0,
      });
    }
  }
  return rows;
}

/** CRP in mg/dL, so the site converts it to the panel's mg/L as an upload would. */
function csv(rows: Participant[]): string {
  return [
    "participant_id,arm,CRP (mg/dL),hamd_baseline,hamd_week8,response",
    ...rows.map((p) => [p.id, p.arm, (p.crp / 10).toFixed(4), p.baseline, p.week8, p.response].join(",")),
  ].join("\n");
}

/** Loaded before the script: any attempt to reach the network fails the run. */
const NO_NETWORK = `
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
const refuse = (what) => () => { throw new Error("site script used the network: " + what); };
net.Socket.prototype.connect = refuse("net.Socket.connect");
net.connect = net.createConnection = refuse("net.connect");
http.request = http.get = refuse("http.request");
https.request = https.get = refuse("https.request");
dns.lookup = refuse("dns.lookup");
globalThis.fetch = refuse("fetch");
`;

const relativelyClose = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

describe(`site summaries (seed ${SEED})`, () => {
  const server = useServer();
  let team: Team;
  let studyId: string;
  let arms: Record<string, string>;
  let outcomes: Record<string, string>;
  const rows = participants(SEED);
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    const panel = await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true });
    const study = await team.contributor.api.post(`${ws()}/studies`, {
      title: "Anti-inflammatory add-on trial",
      panelId: panel.body.id,
      arms: [
        { name: "Infliximab", class: "anti-inflammatory" },
        { name: "Etanercept", class: "anti-inflammatory" },
        { name: "Placebo", class: "placebo" },
      ],
      outcomes: [
        { name: "HAM-D change from baseline", kind: "continuous" },
        { name: "Response", kind: "binary" },
      ],
    });
    expect(study.status).toBe(201);
    studyId = study.body.id;
    arms = Object.fromEntries(study.body.arms.map((a: { id: string; name: string }) => [a.name.toLowerCase(), a.id]));
    outcomes = Object.fromEntries(study.body.outcomes.map((o: { id: string; name: string }) => [o.name, o.id]));
    const crp = { kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" };
    expect((await team.contributor.api.post(`${ws()}/profiles`, { name: "High CRP", criteria: { op: "and", items: [crp] } })).status).toBe(
      201,
    );
    const homa = { kind: "biomarker", code: "homa_ir", operator: ">=", value: 2.9, unit: "" };
    expect(
      (await team.contributor.api.post(`${ws()}/profiles`, { name: "Insulin resistant", criteria: { op: "and", items: [homa] } })).status,
    ).toBe(201);
  });

  it("gives an observer the study's kit, and hides it from someone outside the workspace", async () => {
    const kit = await team.observer.api.get(`${ws()}/studies/${studyId}/site-kit.json`);
    expect(kit.status).toBe(200);
    expect(kit.headers.get("content-disposition")).toBe(`attachment; filename="site-kit-${studyId}.json"`);
    expect(kit.body).toMatchObject({
      format: "consilience-site-kit/1",
      study: { id: studyId, comparatorArmId: arms.placebo, version: 1 },
      minimumCellSize: 5,
    });
    expect(kit.body.profiles.map((p: { name: string }) => p.name)).toEqual(["High CRP", "Insulin resistant"]);
    expect(kit.body.panel.biomarkers.find((b: { code: string }) => b.code === "hs_crp")).toMatchObject({ unit: "mg/L" });
    expect((await team.outsider.api.get(`${ws()}/studies/${studyId}/site-kit.json`)).status).toBe(404);
  });

  it("runs the downloaded script on the site's CSV, offline, and writes the counts, withheld cells and interactions the app computes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-site-"));
    const kit = await team.observer.api.get(`${ws()}/studies/${studyId}/site-kit.json`);
    fs.writeFileSync(path.join(dir, "site-kit.json"), JSON.stringify(kit.body));
    const script = await fetch(`${server.url}/downloads/consilience-site.mjs`);
    expect(script.status).toBe(200);
    const source = await script.text();
    // The one file the partner's IT reviews imports nothing but Node's file, path and hash modules.
    expect([...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).sort()).toEqual(["node:crypto", "node:fs", "node:path"]);
    fs.writeFileSync(path.join(dir, "consilience-site.mjs"), source);
    fs.writeFileSync(path.join(dir, "no-network.mjs"), NO_NETWORK);
    fs.writeFileSync(path.join(dir, "data.csv"), csv(rows));

    const printed = execFileSync(
      process.execPath,
      [
        "--import",
        "./no-network.mjs",
        "consilience-site.mjs",
        "summarise",
        "data.csv",
        "--kit",
        "site-kit.json",
        "--out",
        "site-summary.json",
      ],
      { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" } },
    );
    expect(printed).toMatch(/Withheld/);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, "site-summary.json"), "utf8"));
    expect(summary).toMatchObject({
      format: "consilience-site-summary/1",
      kit: { workspaceId: team.workspaceId, studyId, studyVersion: 1 },
      source: { fileName: "data.csv", rows: rows.length },
      minimumCellSize: 5,
    });
    expect(summary.source.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Per-arm n of the High CRP profile, as counted here; cells of fewer than 5 withheld and listed.
    const high = summary.profiles.find((p: { name: string }) => p.name === "High CRP");
    expect(high.evaluable).toBe(true);
    for (const arm of ["infliximab", "placebo", "etanercept"]) {
      const expected = rows.filter((p) => p.arm === arm && p.crp > 3);
      const written = high.arms.find((a: { armId: string }) => a.armId === arms[arm]);
      const listed = summary.withheld.some(
        (w: { where: string }) => w.where === `profile “High CRP”, arm “${arm[0].toUpperCase()}${arm.slice(1)}”`,
      );
      if (expected.length < 5) {
        expect(written, arm).toBeUndefined();
        expect(listed, arm).toBe(true);
      } else {
        expect(written.n, arm).toBe(expected.length);
        expect(written.outcomes[outcomes.Response]).toEqual({
          n: expected.length,
          events: expected.filter((p) => p.response === 1).length,
        });
        expect(listed, arm).toBe(false);
      }
    }
    const insulin = summary.profiles.find((p: { name: string }) => p.name === "Insulin resistant");
    expect(insulin).toMatchObject({ evaluable: false, arms: [] });

    // Interactions: Etanercept's four are withheld; Infliximab's equal the calculator's on the same rows.
    for (const [outcome, y] of [
      ["HAM-D change from baseline", (p: Participant) => p.baseline - p.week8],
      ["Response", (p: Participant) => p.response],
    ] as const) {
      const trialRows = rows
        .filter((p) => p.arm !== "etanercept")
        .map((p) => ({ arm: p.arm === "placebo" ? "comparator" : "intervention", x: Math.log2(p.crp), y: y(p) }));
      const calculator = await team.observer.api.post("/api/v1/effect-modification", {
        outcome: outcome === "Response" ? "binary" : "continuous",
        method: "FE",
        trials: [{ label: "site", rows: trialRows }],
      });
      expect(calculator.status).toBe(200);
      const site = summary.interactions.find(
        (i: { outcomeId: string; intervention: string }) => i.outcomeId === outcomes[outcome] && i.intervention === arms.infliximab,
      );
      const reference = calculator.body.perTrial[0];
      if (!reference) {
        // Not estimable on these rows (separation in a logistic fit): the site withholds it too.
        expect(site, outcome).toBeUndefined();
        continue;
      }
      expect(site, outcome).toMatchObject({ biomarker: "hs_crp", scale: "log2", comparator: arms.placebo, n: reference.n });
      for (const key of ["interaction", "se", "effectAtZero"] as const) {
        expect(relativelyClose(site[key], reference[key]), `${outcome} ${key}: ${site[key]} vs ${reference[key]}`).toBe(true);
      }
      expect(summary.withheld).toContainEqual({
        where: `interaction of ${outcome} with hs-CRP, Etanercept against Placebo`,
        reason: "Etanercept: fewer than 5 participants with both hs-CRP and the outcome.",
      });
    }

    // Nothing a participant could be recognised by: no id, and no number in the file equal to anyone's CRP
    // (in either unit) or its log. Whole numbers are left out of the check: counts and versions are whole too.
    const written = fs.readFileSync(path.join(dir, "site-summary.json"), "utf8");
    const numbers = new Set<number>();
    const collect = (value: unknown): void => {
      if (typeof value === "number") numbers.add(value);
      else if (value && typeof value === "object") Object.values(value).forEach(collect);
    };
    collect(JSON.parse(written));
    for (const p of rows) {
      expect(written).not.toContain(`"${p.id}"`);
      for (const own of [p.crp, p.crp / 10, Math.log2(p.crp)].filter((v) => !Number.isInteger(v)))
        expect(numbers.has(own), `${own}`).toBe(false);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
