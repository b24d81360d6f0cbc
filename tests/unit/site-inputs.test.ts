/**
 * Site summaries as comparison inputs: a study summarised at several sites
 * gives one input per profile and arm, the sites' per-arm cells merged exactly
 * (as if the rows had been pooled), only from sites that gave both arms, and
 * the input says which site summaries it comes from.
 */
import { describe, expect, it } from "vitest";
import {
  collectInputs,
  type ComparisonProfile,
  type ComparisonStudy,
  mergeCells,
  type OutcomeOption,
  type SiteSummaryRef,
} from "#app/domain/comparison-inputs.ts";
import { MINIMUM_CELL_SIZE, type OutcomeCell, SITE_SUMMARY_FORMAT, type SiteSummary } from "#app/domain/site-summary-format.ts";

/** n, mean and sample SD of raw values, computed the plain way. */
function describeValues(values: number[]) {
  const n = values.length;
  const mean = values.reduce((t, v) => t + v, 0) / n;
  const sd = Math.sqrt(values.reduce((t, v) => t + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd };
}

/** Seeded values around `centre`, so groups differ in mean and spread. */
function values(seed: number, count: number, centre: number, spread: number): number[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => centre + (next() - 0.5) * spread);
}

const closeTo = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected));

describe("merging one arm's cells from several sites", () => {
  it("gives the n, mean and SD of the pooled raw values of two sites whose means differ", () => {
    const leiden = values(3, 23, 6.5, 9);
    const porto = values(17, 41, 2.25, 4);
    const merged = mergeCells([describeValues(leiden), describeValues(porto)]) as { n: number; mean: number; sd: number };
    const pooled = describeValues([...leiden, ...porto]);
    expect(merged.n).toBe(pooled.n);
    expect(closeTo(merged.mean, pooled.mean), `mean ${merged.mean} vs ${pooled.mean}`).toBe(true);
    expect(closeTo(merged.sd, pooled.sd), `sd ${merged.sd} vs ${pooled.sd}`).toBe(true);
  });

  it("gives the n, mean and SD of the pooled raw values of three sites of different sizes", () => {
    const groups = [values(5, 5, -3, 2), values(29, 120, 11, 20), values(71, 17, 4.125, 0.5)];
    const merged = mergeCells(groups.map(describeValues)) as { n: number; mean: number; sd: number };
    const pooled = describeValues(groups.flat());
    expect(merged.n).toBe(142);
    expect(closeTo(merged.mean, pooled.mean), `mean ${merged.mean} vs ${pooled.mean}`).toBe(true);
    expect(closeTo(merged.sd, pooled.sd), `sd ${merged.sd} vs ${pooled.sd}`).toBe(true);
  });

  it("adds the counts and the events of binary cells", () => {
    expect(
      mergeCells([
        { n: 12, events: 5 },
        { n: 30, events: 0 },
        { n: 7, events: 7 },
      ]),
    ).toEqual({ n: 49, events: 12 });
  });

  it("gives a single site's cell as it is", () => {
    const cell = { n: 9, mean: 1.5, sd: 0.75 };
    expect(mergeCells([cell])).toEqual(cell);
  });
});

// ---------------------------------------------------------------------------
// Site summaries through collectInputs.

const HIGH: ComparisonProfile = {
  id: "pr-high",
  criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
};
const LOW: ComparisonProfile = {
  id: "pr-low",
  criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: "<", value: 1, unit: "mg/L" }] },
};
const CHANGE: OutcomeOption = { key: "ham-d change", name: "HAM-D change", kind: "continuous", studies: 1 };
const RESPONSE: OutcomeOption = { key: "response", name: "Response", kind: "binary", studies: 1 };

type ArmCells = Record<string, Record<string, OutcomeCell>>;

/** A site summary giving, per profile, each arm's outcome cells (an arm left out was withheld at the site). */
function site(id: string, name: string, version: number, byProfile: Record<string, ArmCells>, evaluable = true): SiteSummaryRef {
  const summary: SiteSummary = {
    format: SITE_SUMMARY_FORMAT,
    kit: { workspaceId: "ws", studyId: "st", studyVersion: 1, panelVersion: 1, profiles: [] },
    source: { fileName: "data.csv", sha256: "0".repeat(64), rows: 100 },
    createdAt: "2026-01-01T00:00:00.000Z",
    minimumCellSize: MINIMUM_CELL_SIZE,
    profiles: Object.entries(byProfile).map(([profileId, arms]) => ({
      profileId,
      name: profileId,
      evaluable,
      problems: [],
      arms: Object.entries(arms).map(([armId, outcomes]) => ({
        arm: armId,
        armId,
        n: Math.max(...Object.values(outcomes).map((c) => c.n)),
        outcomes,
      })),
    })),
    interactions: [],
    withheld: [],
  };
  return { id, site: name, version, summary };
}

function study(sites: SiteSummaryRef[]): ComparisonStudy {
  return {
    id: "st",
    title: "Site trial",
    population: "",
    arms: [
      { id: "infliximab", name: "Infliximab", class: "anti-inflammatory", dose: "" },
      { id: "placebo", name: "Placebo", class: "placebo", dose: "" },
    ],
    outcomes: [
      { id: "change", name: "HAM-D change", kind: "continuous" },
      { id: "response", name: "Response", kind: "binary" },
    ],
    datasets: [],
    mapped: [],
    sites,
  };
}

const inputsFor = (sites: SiteSummaryRef[], outcome = CHANGE, profiles = [HIGH, LOW]) =>
  collectInputs([study(sites)], profiles, outcome, new Map(), []);

describe("site summaries as comparison inputs", () => {
  const leidenHigh = { infliximab: { change: { n: 14, mean: 8.5, sd: 3.25 } }, placebo: { change: { n: 11, mean: 4, sd: 2.5 } } };
  const portoHigh = { infliximab: { change: { n: 9, mean: 6, sd: 4 } }, placebo: { change: { n: 16, mean: 3.5, sd: 3 } } };

  it("counts as participant-level data and names the site summary it comes from", () => {
    const inputs = inputsFor([site("sum-leiden", "Leiden", 2, { [HIGH.id]: leidenHigh })]);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({
      studyTitle: "Site trial",
      profileId: HIGH.id,
      interventionName: "Infliximab",
      comparatorName: "Placebo",
      source: "participant",
      siteSummaryIds: ["sum-leiden"],
      datasetName: "Site summary “Leiden” v2",
      data: { type: "continuous", intervention: { n: 14, mean: 8.5, sd: 3.25 }, comparator: { n: 11, mean: 4, sd: 2.5 } },
    });
  });

  it("merges two sites' arms into one input per profile and arm, naming both summaries", () => {
    const inputs = inputsFor([
      site("sum-leiden", "Leiden", 1, { [HIGH.id]: leidenHigh }),
      site("sum-porto", "Porto", 3, { [HIGH.id]: portoHigh }),
    ]);
    expect(inputs).toHaveLength(1);
    expect(inputs[0].siteSummaryIds).toEqual(["sum-leiden", "sum-porto"]);
    expect(inputs[0].source).toBe("participant");
    expect(inputs[0].datasetName).toBe("Site summaries “Leiden” v1, “Porto” v3");
    expect(inputs[0].data).toEqual({
      type: "continuous",
      intervention: mergeCells([leidenHigh.infliximab.change, portoHigh.infliximab.change]),
      comparator: mergeCells([leidenHigh.placebo.change, portoHigh.placebo.change]),
    });
    expect((inputs[0].data as { intervention: { n: number } }).intervention.n).toBe(23);
  });

  it("leaves out a site whose intervention arm was withheld, together with that site's comparator", () => {
    const portoWithoutInfliximab = { placebo: portoHigh.placebo };
    const inputs = inputsFor([
      site("sum-leiden", "Leiden", 1, { [HIGH.id]: leidenHigh }),
      site("sum-porto", "Porto", 1, { [HIGH.id]: portoWithoutInfliximab }),
    ]);
    expect(inputs).toHaveLength(1);
    expect(inputs[0].siteSummaryIds).toEqual(["sum-leiden"]);
    // Porto's placebo patients are not set against Leiden's infliximab patients.
    expect(inputs[0].data).toEqual({
      type: "continuous",
      intervention: leidenHigh.infliximab.change,
      comparator: leidenHigh.placebo.change,
    });
  });

  it("leaves out a site whose comparator arm was withheld, and gives no input when no site has both arms", () => {
    const leidenWithoutPlacebo = { infliximab: leidenHigh.infliximab };
    const withPorto = inputsFor([
      site("sum-leiden", "Leiden", 1, { [HIGH.id]: leidenWithoutPlacebo }),
      site("sum-porto", "Porto", 1, { [HIGH.id]: portoHigh }),
    ]);
    expect(withPorto.map((i) => i.siteSummaryIds)).toEqual([["sum-porto"]]);
    expect(withPorto[0].data).toMatchObject({ intervention: { n: 9 }, comparator: { n: 16 } });
    expect(inputsFor([site("sum-leiden", "Leiden", 1, { [HIGH.id]: leidenWithoutPlacebo })])).toEqual([]);
  });

  it("decides per profile which sites take part", () => {
    const lowAtLeidenOnly = { infliximab: { change: { n: 6, mean: 1, sd: 1 } }, placebo: { change: { n: 7, mean: 2, sd: 1.5 } } };
    const inputs = inputsFor([
      site("sum-leiden", "Leiden", 1, { [HIGH.id]: leidenHigh, [LOW.id]: lowAtLeidenOnly }),
      site("sum-porto", "Porto", 1, { [HIGH.id]: portoHigh, [LOW.id]: { placebo: { change: { n: 5, mean: 0, sd: 1 } } } }),
    ]);
    expect(inputs.map((i) => [i.profileId, i.siteSummaryIds])).toEqual([
      [HIGH.id, ["sum-leiden", "sum-porto"]],
      [LOW.id, ["sum-leiden"]],
    ]);
  });

  it("uses no profile the site could not evaluate", () => {
    expect(inputsFor([site("sum-leiden", "Leiden", 1, { [HIGH.id]: leidenHigh }, false)])).toEqual([]);
  });

  it("adds the events of a binary outcome across sites", () => {
    const inputs = inputsFor(
      [
        site("sum-leiden", "Leiden", 1, {
          [HIGH.id]: { infliximab: { response: { n: 14, events: 9 } }, placebo: { response: { n: 11, events: 3 } } },
        }),
        site("sum-porto", "Porto", 1, {
          [HIGH.id]: { infliximab: { response: { n: 9, events: 4 } }, placebo: { response: { n: 16, events: 5 } } },
        }),
      ],
      RESPONSE,
    );
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({
      source: "participant",
      siteSummaryIds: ["sum-leiden", "sum-porto"],
      data: { type: "binary", intervention: { n: 23, events: 13 }, comparator: { n: 27, events: 8 } },
    });
  });
});
