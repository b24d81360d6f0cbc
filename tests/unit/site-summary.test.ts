/**
 * The site summary's pure part: a CSV read as the import reads it, profiles
 * applied after unit harmonisation, outcomes derived, interactions fitted as
 * the effect-modification analysis fits a trial, and every cell of fewer than
 * five participants withheld and named, with no participant's own value in
 * what is written.
 */
import { describe, expect, it } from "vitest";
import { DatasetFileError } from "#app/domain/dataset-files.ts";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { fitTrials } from "#app/domain/effect-modification.ts";
import type { ParticipantPoint } from "#app/domain/interaction-fits.ts";
import { coarseRange, MINIMUM_CELL_SIZE, SITE_KIT_FORMAT, type SiteKit, summariseSite } from "#app/domain/site-summary.ts";

const kit: SiteKit = {
  format: SITE_KIT_FORMAT,
  workspace: { id: "ws1", name: "Consortium" },
  study: {
    id: "st1",
    title: "Infliximab in depression",
    version: 3,
    arms: [
      { id: "arm-infliximab", name: "Infliximab", class: "anti-inflammatory" },
      { id: "arm-placebo", name: "Placebo", class: "placebo" },
    ],
    comparatorArmId: "arm-placebo",
    outcomes: [
      { id: "out-change", name: "HAM-D change from baseline", kind: "continuous" },
      { id: "out-response", name: "Response", kind: "binary" },
    ],
  },
  panel: {
    id: "panel1",
    version: 2,
    biomarkers: DEFAULT_BIOMARKERS.map(({ loinc: _l, specimen: _s, cutoffs: _c, description: _d, ...b }) => b),
  },
  profiles: [
    { id: "pr-high", version: 4, name: "High CRP", criteria: { op: "and", items: [crp(">", 3)] } },
    {
      id: "pr-insulin",
      version: 1,
      name: "Insulin resistant",
      criteria: { op: "and", items: [{ kind: "biomarker", code: "homa_ir", operator: ">=", value: 2.9, unit: "" }] },
    },
  ],
  minimumCellSize: MINIMUM_CELL_SIZE,
  createdAt: "2026-12-01T00:00:00.000Z",
};

function crp(operator: ">" | "<", value: number, unit = "mg/L") {
  return { kind: "biomarker" as const, code: "hs_crp", operator, value, unit };
}

interface Participant {
  id: string;
  arm: string;
  crp: number;
  baseline: number;
  week8: number;
  response: string;
}

/** Seeded participants: CRP with many decimals (so a leaked value would be recognisable), more benefit with higher CRP. */
function participants(arms: { arm: string; high: number; low: number }[], seed = 11): Participant[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows: Participant[] = [];
  for (const { arm, high, low } of arms) {
    for (let i = 0; i < high + low; i++) {
      const crp = i < high ? 3.5 + next() * 10 : 0.2 + next() * 2.5;
      const baseline = 18 + Math.floor(next() * 10);
      const drop = Math.round((arm === "Infliximab" ? 2 + crp * 0.8 : 4) + next() * 6);
      rows.push({
        id: `P${rows.length + 1}`,
        arm,
        crp: Number(crp.toFixed(6)),
        baseline,
        week8: baseline - drop,
        response: drop >= baseline / 2 ? "yes" : "no",
      });
    }
  }
  return rows;
}

function csv(rows: Participant[], unit: "mg/L" | "mg/dL" = "mg/L") {
  const crpOf = (p: Participant) => (unit === "mg/L" ? p.crp : p.crp / 10);
  return [
    `participant_id,arm,CRP (${unit}),hamd_baseline,hamd_week8,response`,
    ...rows.map((p) => [p.id, p.arm, crpOf(p), p.baseline, p.week8, p.response].join(",")),
  ].join("\n");
}

const summarise = (text: string, withKit = kit) => summariseSite(withKit, { fileName: "site.csv", sha256: "0".repeat(64), text });

describe("site summaries", () => {
  it("writes a profile's arm of 5 matching participants and withholds one of 4, saying where and why but not how many", () => {
    const rows = participants([
      { arm: "Infliximab", high: 5, low: 12 },
      { arm: "Placebo", high: 4, low: 12 },
    ]);
    const summary = summarise(csv(rows));
    const high = summary.profiles.find((p) => p.profileId === "pr-high")!;
    expect(high.evaluable).toBe(true);
    expect(high.arms.map((a) => [a.armId, a.n])).toEqual([["arm-infliximab", 5]]);
    const withheld = summary.withheld.find((w) => w.where === "profile “High CRP”, arm “Placebo”");
    expect(withheld?.reason).toBe("fewer than 5 participants match the profile in this arm.");
    expect(JSON.stringify(summary.withheld)).not.toMatch(/\b4\b/);
  });

  it("gives the mean and SD of a continuous outcome among those who match, as the app's summaries do", () => {
    const rows = participants([
      { arm: "Infliximab", high: 9, low: 10 },
      { arm: "Placebo", high: 8, low: 10 },
    ]);
    const high = summarise(csv(rows)).profiles.find((p) => p.profileId === "pr-high")!;
    const changes = rows.filter((p) => p.arm === "Placebo" && p.crp > 3).map((p) => p.baseline - p.week8);
    const mean = changes.reduce((t, v) => t + v, 0) / changes.length;
    const sd = Math.sqrt(changes.reduce((t, v) => t + (v - mean) ** 2, 0) / (changes.length - 1));
    const placebo = high.arms.find((a) => a.armId === "arm-placebo")!;
    expect(placebo.n).toBe(8);
    const cell = placebo.outcomes["out-change"] as { n: number; mean: number; sd: number };
    expect(cell.n).toBe(8);
    expect(cell.mean).toBeCloseTo(mean, 12);
    expect(cell.sd).toBeCloseTo(sd, 12);
  });

  it("counts a binary outcome's events (yes/no read as 1/0), with no mean or SD", () => {
    const rows = participants([
      { arm: "Infliximab", high: 9, low: 10 },
      { arm: "Placebo", high: 8, low: 10 },
    ]);
    const high = summarise(csv(rows)).profiles.find((p) => p.profileId === "pr-high")!;
    for (const arm of high.arms) {
      const matched = rows.filter((p) => p.arm === arm.arm && p.crp > 3);
      expect(arm.outcomes["out-response"]).toEqual({ n: matched.length, events: matched.filter((p) => p.response === "yes").length });
    }
  });

  it("reports a profile the file cannot be evaluated for, with the reason, and writes no arms for it", () => {
    const rows = participants([
      { arm: "Infliximab", high: 6, low: 6 },
      { arm: "Placebo", high: 6, low: 6 },
    ]);
    const insulin = summarise(csv(rows)).profiles.find((p) => p.profileId === "pr-insulin")!;
    expect(insulin).toMatchObject({ evaluable: false, arms: [] });
    expect(insulin.problems[0]).toMatchObject({ reason: "biomarker_missing" });
    expect(insulin.problems[0].message).toMatch(/No column for HOMA-IR/);
  });

  it("reads CRP reported in mg/dL as the same participants in mg/L: the same cells and the same interactions", () => {
    const rows = participants([
      { arm: "Infliximab", high: 9, low: 14 },
      { arm: "Placebo", high: 7, low: 15 },
    ]);
    const inL = summarise(csv(rows, "mg/L"));
    const inDl = summarise(csv(rows, "mg/dL"));
    expect(inDl.profiles).toEqual(inL.profiles);
    expect(inDl.withheld).toEqual(inL.withheld);
    expect(inDl.interactions.length).toBe(2);
    inDl.interactions.forEach((fit, i) => {
      for (const key of ["interaction", "se", "effectAtZero", "xMin", "xMax", "xMean"] as const) {
        expect(fit[key]).toBeCloseTo(inL.interactions[i][key], 9);
      }
    });
  });

  it("fits each intervention × outcome × biomarker on log2 CRP as the effect-modification analysis does", () => {
    const rows = participants([
      { arm: "Infliximab", high: 10, low: 12 },
      { arm: "Placebo", high: 9, low: 11 },
    ]);
    const summary = summarise(csv(rows));
    const change = summary.interactions.find((i) => i.outcomeId === "out-change")!;
    expect(change).toMatchObject({ biomarker: "hs_crp", scale: "log2", per: 1, intervention: "arm-infliximab", comparator: "arm-placebo" });
    const points: ParticipantPoint[] = rows.map((p) => ({
      arm: p.arm === "Infliximab" ? "intervention" : "comparator",
      x: Math.log2(p.crp),
      y: p.baseline - p.week8,
    }));
    const expected = fitTrials("continuous", [{ label: "t", points }]).fitted[0];
    expect(change.n).toBe(rows.length);
    for (const key of ["interaction", "se", "effectAtZero", "varEffectAtZero", "covEffectInteraction", "xMean"] as const) {
      expect(change[key]).toBeCloseTo(expected[key], 10);
    }
    expect(summary.interactions.find((i) => i.outcomeId === "out-response")).toBeDefined();
  });

  it("writes no participant's own biomarker value: the range ends are means of the five most extreme", () => {
    const rows = participants([
      { arm: "Infliximab", high: 10, low: 12 },
      { arm: "Placebo", high: 9, low: 11 },
    ]);
    const summary = summarise(csv(rows));
    const logs = rows.map((p) => Math.log2(p.crp));
    expect(summary.interactions[0]).toMatchObject(coarseRange(logs, 5));
    expect(summary.interactions[0].xMin).toBeGreaterThan(Math.min(...logs));
    const written = JSON.stringify(summary);
    for (const p of rows) {
      expect(written).not.toContain(String(p.crp));
      expect(written).not.toContain(String(Math.log2(p.crp)));
      expect(written).not.toContain(`"${p.id}"`);
    }
  });

  it("withholds an interaction whose comparator arm has 4 participants, naming the arm", () => {
    const rows = participants([
      { arm: "Infliximab", high: 6, low: 6 },
      { arm: "Placebo", high: 2, low: 2 },
    ]);
    const summary = summarise(csv(rows));
    expect(summary.interactions).toEqual([]);
    const withheld = summary.withheld.filter((w) => w.where.startsWith("interaction of"));
    expect(withheld).toHaveLength(2);
    expect(withheld[0]).toEqual({
      where: "interaction of HAM-D change from baseline with hs-CRP, Infliximab against Placebo",
      reason: "Placebo: fewer than 5 participants with both hs-CRP and the outcome.",
    });
  });

  it("names the kit's versions and the file it read", () => {
    const rows = participants([
      { arm: "Infliximab", high: 6, low: 6 },
      { arm: "Placebo", high: 6, low: 6 },
    ]);
    const summary = summarise(csv(rows));
    expect(summary).toMatchObject({
      format: "consilience-site-summary/1",
      kit: {
        workspaceId: "ws1",
        studyId: "st1",
        studyVersion: 3,
        panelVersion: 2,
        profiles: [
          { id: "pr-high", version: 4 },
          { id: "pr-insulin", version: 1 },
        ],
      },
      source: { fileName: "site.csv", rows: 24 },
      minimumCellSize: 5,
    });
  });

  it("refuses a file the import would refuse, with the import's message", () => {
    expect(() => summarise("participant_id;arm;crp\nP1;Placebo;2")).toThrow(DatasetFileError);
    expect(() => summarise("participant_id;arm;crp\nP1;Placebo;2")).toThrow(/semicolon-separated/);
    expect(() => summarise("participant_id,arm,crp\nP1,Placebo,1,5")).toThrow(/Row 2 has 4 cells/);
    expect(() => summarise("arm,crp\nPlacebo,2")).toThrow(/No participant id column/);
  });
});
