/**
 * Site summaries back in the app, as a consortium uses them: a partner whose
 * participant-level data cannot leave its site sends site-summary.json; a
 * contributor uploads it to the study (versioned per site, recorded in the
 * audit trail), anything that does not fit the study is refused whole, and the
 * summary then feeds the comparison (per-arm numbers, several sites merged as
 * if their rows had been pooled) and who benefits (the site's own interaction
 * fit, on the scale it used), with its provenance shown. The summaries are
 * made here with the site's own code (summariseSite) on generated rows, so the
 * expected numbers can be computed from the rows themselves.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type SiteKit, type SiteSummary, summariseSite } from "#app/domain/site-summary.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { expectClose } from "#tests/support/metafor-reference.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const RELATIVE = { relative: 1e-9, floor: 1e-12 };

interface Participant {
  id: string;
  arm: "infliximab" | "placebo";
  /** mg/L, the panel's unit. */
  crp: number;
  baseline: number;
  week8: number;
}

/**
 * Seeded participants of both arms: in each arm 40% above 3 mg/L CRP, 30% below
 * 1 mg/L and the rest between, so both profiles have at least five per arm;
 * infliximab's benefit grows with CRP.
 */
function participants(seed: number, perArm: number, prefix: string): Participant[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows: Participant[] = [];
  for (const arm of ["infliximab", "placebo"] as const) {
    for (let i = 0; i < perArm; i++) {
      const band = i % 10;
      const crp = band < 4 ? 3.2 + next() * 9 : band < 7 ? 0.2 + next() * 0.75 : 1.1 + next() * 1.8;
      const baseline = 17 + Math.floor(next() * 11);
      const drop = Math.round((arm === "infliximab" ? 2 + 1.5 * Math.log2(crp) : 3) + (next() - 0.5) * 8);
      rows.push({ id: `${prefix}${rows.length + 1}`, arm, crp: Number(crp.toFixed(2)), baseline, week8: baseline - drop });
    }
  }
  return rows;
}

function csv(rows: Participant[]): string {
  return [
    "participant_id,arm,CRP (mg/L),hamd_baseline,hamd_week8",
    ...rows.map((p) => [p.id, p.arm, p.crp, p.baseline, p.week8].join(",")),
  ].join("\n");
}

/** What the site's command does with its file, without the command: the same pure code, on the same kit. */
function summarise(kit: SiteKit, rows: Participant[], fileName = "data.csv"): SiteSummary {
  const text = csv(rows);
  return summariseSite(kit, { fileName, sha256: createHash("sha256").update(text).digest("hex"), text });
}

/** n, mean and SD of the HAM-D change (baseline − week 8) of rows, computed the plain way. */
function changeOf(rows: Participant[]) {
  const values = rows.map((p) => p.baseline - p.week8);
  const n = values.length;
  const mean = values.reduce((t, v) => t + v, 0) / n;
  const sd = Math.sqrt(values.reduce((t, v) => t + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd };
}

function expectArm(actual: { n: number; mean: number; sd: number }, expected: { n: number; mean: number; sd: number }, label: string) {
  expect(actual.n, `${label} n`).toBe(expected.n);
  expectClose(actual.mean, expected.mean, `${label} mean`, RELATIVE);
  expectClose(actual.sd, expected.sd, `${label} sd`, RELATIVE);
}

const PROFILES = {
  "High CRP": (p: Participant) => p.crp > 3,
  "Low CRP": (p: Participant) => p.crp < 1,
} as const;

describe("uploading site summaries and using them in the analyses", () => {
  const server = useServer();
  let team: Team;
  let siteStudyId: string;
  let localStudyId: string;
  let arms: Record<string, string>;
  const profileIds: Record<string, string> = {};
  let kit: SiteKit;
  const leidenV1Rows = participants(101, 20, "L");
  const leidenRows = participants(101, 30, "L");
  const portoRows = participants(202, 25, "P");
  let leidenV1: { id: string };
  let leidenV2: { id: string };
  let leidenSummary: SiteSummary;
  let portoSummary: SiteSummary;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  const summariesPath = () => `${ws()}/studies/${siteStudyId}/site-summaries`;

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    const panel = await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true });
    expect(panel.status).toBe(201);
    const crp = (operator: string, value: number) => ({ kind: "biomarker", code: "hs_crp", operator, value, unit: "mg/L" });
    for (const [name, criterion] of [
      ["High CRP", crp(">", 3)],
      ["Low CRP", crp("<", 1)],
    ] as const) {
      const created = await team.contributor.api.post(`${ws()}/profiles`, { name, criteria: { op: "and", items: [criterion] } });
      expect(created.status).toBe(201);
      profileIds[name] = created.body.id;
    }
    const study = (title: string) =>
      team.contributor.api.post(`${ws()}/studies`, {
        title,
        panelId: panel.body.id,
        arms: [
          { name: "infliximab", class: "anti-inflammatory" },
          { name: "placebo", class: "placebo" },
        ],
        outcomes: [{ name: "HAM-D change", kind: "continuous" }],
      });
    const siteStudy = await study("Site trial");
    expect(siteStudy.status).toBe(201);
    siteStudyId = siteStudy.body.id;
    arms = Object.fromEntries(siteStudy.body.arms.map((a: { id: string; name: string }) => [a.name, a.id]));
    const localStudy = await study("Local trial");
    expect(localStudy.status).toBe(201);
    localStudyId = localStudy.body.id;
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, localStudyId, csv(participants(303, 40, "T")), {
      name: "Participants",
    });
    expect(uploaded.status).toBe(201);

    const downloaded = await team.contributor.api.get(`${ws()}/studies/${siteStudyId}/site-kit.json`);
    expect(downloaded.status).toBe(200);
    kit = downloaded.body;
    leidenSummary = summarise(kit, leidenRows);
    portoSummary = summarise(kit, portoRows, "porto-export.csv");
  });

  const upload = (body: unknown, api = team.contributor.api) => api.post(summariesPath(), body);
  const countSummaries = async () => (await team.observer.api.get(summariesPath())).body.items.length as number;
  const countEvents = async () => (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length as number;

  it("stores an uploaded summary as version 1 of its site, a second upload as version 2, lists both and records each", async () => {
    const first = await upload({ site: "Leiden", summary: summarise(kit, leidenV1Rows) });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      studyId: siteStudyId,
      site: "Leiden",
      version: 1,
      uploadedBy: { id: team.contributor.id, name: team.contributor.name },
      rows: leidenV1Rows.length,
      profiles: 2,
      stale: [],
    });
    leidenV1 = first.body;
    const second = await upload({ site: "Leiden", summary: leidenSummary });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ site: "Leiden", version: 2, rows: leidenRows.length, sourceSha256: leidenSummary.source.sha256 });
    expect(second.body.interactions).toBe(leidenSummary.interactions.length);
    expect(second.body.interactions).toBeGreaterThan(0);
    leidenV2 = second.body;

    const list = await team.observer.api.get(summariesPath());
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string; site: string; version: number }) => [s.id, s.site, s.version])).toEqual([
      [leidenV2.id, "Leiden", 2],
      [leidenV1.id, "Leiden", 1],
    ]);

    const trail = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items;
    const uploads = trail.filter((e: { type: string }) => e.type === "site_summary.uploaded");
    expect(uploads.map((e: { payload: { site: string; version: number } }) => [e.payload.site, e.payload.version]).sort()).toEqual([
      ["Leiden", 1],
      ["Leiden", 2],
    ]);
    expect(uploads[0]).toMatchObject({
      target: { type: "study", id: siteStudyId },
      payload: { studyId: siteStudyId, study: "Site trial" },
    });
  });

  it("forbids an observer to upload, and hides the study's summaries from someone outside the workspace", async () => {
    const [summaries, events] = [await countSummaries(), await countEvents()];
    const byObserver = await upload({ site: "Leiden", summary: leidenSummary }, team.observer.api);
    expect(byObserver.status).toBe(403);
    expect(byObserver.body.error.code).toBe("forbidden");
    expect((await upload({ site: "Leiden", summary: leidenSummary }, team.outsider.api)).status).toBe(404);
    expect((await team.outsider.api.get(summariesPath())).status).toBe(404);
    expect([await countSummaries(), await countEvents()]).toEqual([summaries, events]);
  });

  it("refuses, naming the field, a summary that does not fit the study, and stores nothing", async () => {
    const summaries = await countSummaries();
    const events = await countEvents();
    const changed = (edit: (summary: any) => void) => {
      const copy = structuredClone(leidenSummary) as any;
      edit(copy);
      return copy;
    };
    const refusals: [string, unknown, string, RegExp?][] = [
      [
        "made with another study's kit",
        { site: "Leiden", summary: changed((s) => (s.kit.studyId = localStudyId)) },
        "summary.kit.studyId",
        /another study, not “Site trial”/,
      ],
      [
        "an arm that is not the study's",
        { site: "Leiden", summary: changed((s) => (s.profiles[0].arms[0].armId = "no-such-arm")) },
        "summary.profiles.0.arms.0.armId",
        /not an arm of the study/,
      ],
      [
        "an arm's cell of four participants",
        { site: "Leiden", summary: changed((s) => (s.profiles[0].arms[0].n = 4)) },
        "summary.profiles.0.arms.0.n",
        /fewer than 5 participants/,
      ],
      [
        "an outcome's cell of four participants",
        {
          site: "Leiden",
          summary: changed((s) => {
            for (const cell of Object.values(s.profiles[1].arms[1].outcomes) as { n: number }[]) cell.n = 4;
          }),
        },
        `summary.profiles.1.arms.1.outcomes.${kit.study.outcomes[0].id}.n`,
        /fewer than 5 participants/,
      ],
      [
        "an interaction fitted on four participants",
        { site: "Leiden", summary: changed((s) => (s.interactions[0].n = 4)) },
        "summary.interactions.0.n",
        /fewer than 5 participants/,
      ],
      [
        "another format",
        { site: "Leiden", summary: changed((s) => (s.format = "consilience-site-summary/2")) },
        "summary.format",
        /not a site summary/,
      ],
      [
        "a continuous outcome given as events",
        {
          site: "Leiden",
          summary: changed((s) => (s.profiles[0].arms[0].outcomes[kit.study.outcomes[0].id] = { n: 12, events: 5 })),
        },
        `summary.profiles.0.arms.0.outcomes.${kit.study.outcomes[0].id}`,
        /“HAM-D change” is continuous/,
      ],
      ["a summary that is not an object", { site: "Leiden", summary: "site-summary.json" }, "summary"],
      ["no site name", { summary: leidenSummary }, "site", /Name the site/],
      ["a blank site name", { site: "   ", summary: leidenSummary }, "site", /Name the site/],
    ];
    for (const [what, body, field, message] of refusals) {
      const refused = await upload(body);
      expect(refused.status, what).toBe(400);
      expect(refused.body.error.code, what).toBe("validation_failed");
      expect(
        refused.body.error.details.map((d: { field: string }) => d.field),
        what,
      ).toContain(field);
      expect(refused.body.error.message, what).toMatch(new RegExp(`^${field.replace(/\./g, "\\.")}: `));
      if (message) expect(refused.body.error.message, what).toMatch(message);
    }
    const notJson = await upload('{"site": "Leiden", "summary": {');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/not valid JSON/);
    expect(await countSummaries()).toBe(summaries);
    expect(await countEvents()).toBe(events);
  });

  /** The comparison's input for the site trial in a profile, and the infliximab cell of that profile. */
  async function siteTrialInComparison(profile: keyof typeof PROFILES) {
    const comparison = await team.observer.api.get(`${ws()}/comparison?outcome=${encodeURIComponent("HAM-D change")}`);
    expect(comparison.status).toBe(200);
    const inputs = comparison.body.inputs.filter((i: any) => i.profileId === profileIds[profile]);
    const site = inputs.filter((i: any) => i.studyTitle === "Site trial");
    expect(site, profile).toHaveLength(1);
    const columnIndex = comparison.body.profiles.findIndex((p: { id: string }) => p.id === profileIds[profile]);
    const row = comparison.body.rows.find((r: { key: string }) => r.key === "intervention:infliximab");
    return { input: site[0], local: inputs.find((i: any) => i.studyTitle === "Local trial"), cell: row.cells[columnIndex] };
  }

  it("gives the comparison the newest summary's per-arm numbers, marked as computed at the site", async () => {
    for (const profile of ["High CRP", "Low CRP"] as const) {
      const { input, local, cell } = await siteTrialInComparison(profile);
      const written = leidenSummary.profiles.find((p) => p.profileId === profileIds[profile])!;
      const cellOf = (armId: string) => written.arms.find((a) => a.armId === armId)!.outcomes[kit.study.outcomes[0].id];
      expect(input).toMatchObject({
        source: "participant",
        siteSummaryIds: [leidenV2.id],
        datasetName: "Site summary “Leiden” v2",
        outcomeDefinition: "as computed at the site",
        data: { type: "continuous", intervention: cellOf(arms.infliximab), comparator: cellOf(arms.placebo) },
      });
      // The site's numbers are those of its rows in the profile.
      const matches = PROFILES[profile];
      expectArm(input.data.intervention, changeOf(leidenRows.filter((p) => p.arm === "infliximab" && matches(p))), `${profile} infliximab`);
      expectArm(input.data.comparator, changeOf(leidenRows.filter((p) => p.arm === "placebo" && matches(p))), `${profile} placebo`);
      // The cell pools the site trial beside the trial that uploaded its participants.
      expect(local.siteSummaryIds).toEqual([]);
      expect(cell).toMatchObject({ k: 2, sources: { participant: 2, summary: 0 } });
      expect(cell.inputIds.sort()).toEqual([input.id, local.id].sort());
    }
  });

  it("merges a second site's summary of the same trial into one input, as if both sites' rows were pooled", async () => {
    const porto = await upload({ site: "Porto", summary: portoSummary });
    expect(porto.status).toBe(201);
    expect(porto.body.version).toBe(1);
    for (const profile of ["High CRP", "Low CRP"] as const) {
      const { input, cell } = await siteTrialInComparison(profile);
      expect(input.siteSummaryIds.sort()).toEqual([leidenV2.id, porto.body.id].sort());
      expect(input.datasetName).toMatch(/^Site summaries /);
      const matches = PROFILES[profile];
      const both = [...leidenRows, ...portoRows];
      expectArm(input.data.intervention, changeOf(both.filter((p) => p.arm === "infliximab" && matches(p))), `${profile} infliximab`);
      expectArm(input.data.comparator, changeOf(both.filter((p) => p.arm === "placebo" && matches(p))), `${profile} placebo`);
      expect(cell).toMatchObject({ k: 2, sources: { participant: 2 } });
      expect(cell.inputIds).toContain(input.id);
    }
  });

  const whoBenefits = "outcome=HAM-D change&intervention=infliximab&biomarker=hs_crp";

  it("puts each site's interaction into who benefits as the site fitted it, beside the trial fitted here", async () => {
    const view = await team.observer.api.get(`${ws()}/effect-modification?${encodeURI(whoBenefits)}`);
    expect(view.status).toBe(200);
    expect(view.body.transform).toEqual({ scale: "log2", per: 1 });
    const sites = view.body.trials.filter((t: any) => t.source === "site");
    expect(sites.map((t: any) => t.datasetName).sort()).toEqual(["Site summary “Leiden”", "Site summary “Porto”"]);
    for (const [trial, summary] of [
      [sites.find((t: any) => t.datasetName.includes("Leiden")), leidenSummary],
      [sites.find((t: any) => t.datasetName.includes("Porto")), portoSummary],
    ] as const) {
      const fitted = summary.interactions.find((i) => i.intervention === arms.infliximab && i.biomarker === "hs_crp")!;
      expect(fitted.scale).toBe("log2");
      expect(trial).toMatchObject({ studyTitle: "Site trial", n: fitted.n, rug: [] });
      expect(trial.fit).toMatchObject({ interaction: fitted.interaction, se: fitted.se, effectAtZero: fitted.effectAtZero });
    }
    expect(view.body.trials.filter((t: any) => t.source === "dataset").map((t: any) => t.studyTitle)).toEqual(["Local trial"]);
    expect(view.body.pooled.k).toBe(3);
    expect(view.body.skipped).toEqual([]);
  });

  it("lists the site trials as skipped, naming the scale they were fitted on, when the view asks for another", async () => {
    const linear = await team.observer.api.get(`${ws()}/effect-modification?${encodeURI(`${whoBenefits}&scale=linear`)}`);
    expect(linear.status).toBe(200);
    expect(linear.body.transform).toEqual({ scale: "linear", per: 1 });
    expect(linear.body.trials.map((t: any) => t.source)).toEqual(["dataset"]);
    expect(linear.body.skipped).toHaveLength(2);
    for (const skipped of linear.body.skipped) {
      expect(skipped).toMatchObject({
        studyTitle: "Site trial",
        datasetName: expect.stringMatching(/^Site summary “(Leiden” v2|Porto” v1)$/),
      });
      expect(skipped.reason).toMatch(/per doubling/);
    }
  });

  itWithR("exports an R script that refits the local trial, takes the sites' estimates as given, and agrees", async () => {
    const script = await team.observer.api.get(`${ws()}/effect-modification.R?${encodeURI(whoBenefits)}`);
    expect(script.status).toBe(200);
    expect(script.body).toContain("(fitted at its site)");
    expect(script.body).toContain(`"site:${leidenV2.id}:${arms.infliximab}"`);
    const data = await team.observer.api.get(`${ws()}/effect-modification/data.csv?${encodeURI(whoBenefits)}`);
    expect(data.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-site-upload-"));
    fs.writeFileSync(path.join(dir, "effect-modification-data.csv"), data.body);
    fs.writeFileSync(path.join(dir, "analysis.R"), script.body);
    const output = await runR(["analysis.R"], { cwd: dir });
    expect(output).toContain("The numbers agree with Consilience.");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("says beside each summary that a profile was edited after the site's kit was made", async () => {
    const edited = await team.contributor.api.patch(`${ws()}/profiles/${profileIds["High CRP"]}`, {
      baseVersion: 1,
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 5, unit: "mg/L" }] },
    });
    expect(edited.status).toBe(200);
    const list = await team.observer.api.get(summariesPath());
    expect(list.body.items).toHaveLength(3);
    for (const summary of list.body.items) {
      expect(summary.stale, `${summary.site} v${summary.version}`).toEqual([
        "the profile “High CRP” was edited (kit from version 1, now 2)",
      ]);
    }
  });
});
