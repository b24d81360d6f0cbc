/**
 * compareEffectModification: what differs between two effect-modification
 * analyses. Each kind of change is found on its own, a re-import with the same
 * numbers is no change of fit, numbers are judged to the digit, and a missing
 * number (null once stored, NaN live) is the same as another missing one.
 */
import { describe, expect, it } from "vitest";
import { type ComparedAnalysis, type ComparedTrial, compareEffectModification } from "#app/domain/effect-modification-diff.ts";

function trial(study: string, overrides: Partial<ComparedTrial> = {}): ComparedTrial {
  return {
    key: `${study}-dataset-v1|infliximab`,
    studyId: `study-${study}`,
    studyTitle: `Trial ${study}`,
    datasetName: `Trial ${study} data`,
    datasetVersion: 1,
    interventionName: "infliximab",
    comparatorName: "placebo",
    source: "dataset",
    n: 80,
    fit: {
      interaction: -1.25,
      se: 0.4,
      ciLower: -2.05,
      ciUpper: -0.45,
      effectAtZero: -2,
      varEffectAtZero: 0.3,
      covEffectInteraction: -0.01,
      df: 76,
      xMin: -1.5,
      xMax: 3.1,
      xMean: 0.8,
      overall: { yi: -3, vi: 0.5 },
    },
    ...overrides,
  };
}

const POOLED = { k: 2, estimate: -1.1, se: 0.3, ciLower: -1.69, ciUpper: -0.51, tau2: 0.05, i2: 12.5, q: 1.2, piLower: -2, piUpper: -0.2 };

function analysis(
  trials: ComparedTrial[],
  overrides: Partial<ComparedAnalysis["options"]> = {},
  pooled: object | null = {},
): ComparedAnalysis {
  const options = {
    outcome: "HAM-D change from baseline",
    intervention: "infliximab",
    biomarker: "hs_crp",
    scale: "log2",
    per: 1,
    method: "REML" as const,
    knha: false,
    exclude: [],
    ...overrides,
  };
  const weights = Object.fromEntries(trials.filter((t) => !options.exclude.includes(t.key)).map((t) => [t.key, 100 / trials.length]));
  return { options, view: { trials, pooled: pooled && { ...POOLED, weights, ...pooled } } };
}

const before = analysis([trial("A"), trial("B")]);

describe("compareEffectModification", () => {
  it("finds nothing between an analysis and itself", () => {
    const diff = compareEffectModification(before, structuredClone(before));
    expect(diff).toMatchObject({ kind: "effect-modification", trials: [], sourcesUpdated: [], options: [], summary: "Nothing changed" });
    expect(diff.pooled.moved).toBe(false);
    expect(diff.pooled.before).toEqual(diff.pooled.after);
  });

  it("sees the pooled interaction move by the last digit, and gives its numbers before and after", () => {
    const after = analysis([trial("A"), trial("B")], {}, { estimate: -1.1000000000000003 });
    const diff = compareEffectModification(before, after);
    expect(diff.pooled).toMatchObject({
      moved: true,
      before: { estimate: -1.1, k: 2, tau2: 0.05, i2: 12.5 },
      after: { estimate: -1.1000000000000003 },
    });
    expect(diff.trials).toEqual([]);
    expect(diff.summary).toBe("Pooled interaction moved");
  });

  it("sees the pooled interaction move when another set of trials is pooled, even with the same numbers", () => {
    const after = analysis([trial("A"), trial("B")], { exclude: ["B-dataset-v1|infliximab"] });
    const diff = compareEffectModification(before, after);
    expect(diff.pooled.moved).toBe(true);
    expect(diff.options).toEqual([{ option: "exclude", before: [], after: ["Trial B · Trial B data · infliximab"] }]);
    expect(diff.summary).toBe("Pooled interaction moved, 1 option differs (exclude)");
  });

  it("lists a re-imported trial whose fit changed as moved and its source as updated, matched by study, dataset name and arm", () => {
    const reimported = trial("A", {
      key: "A-dataset-v2|infliximab",
      datasetVersion: 2,
      fit: { ...trial("A").fit!, interaction: -1.5, ciLower: -2.3, ciUpper: -0.7 },
    });
    const diff = compareEffectModification(before, analysis([reimported, trial("B")], {}, { estimate: -1.3 }));
    expect(diff.trials).toEqual([
      {
        change: "moved",
        studyId: "study-A",
        studyTitle: "Trial A",
        datasetName: "Trial A data",
        interventionName: "infliximab",
        comparatorName: "placebo",
        source: "dataset",
        before: {
          key: "A-dataset-v1|infliximab",
          studyTitle: "Trial A",
          datasetVersion: 1,
          n: 80,
          excluded: false,
          fit: { interaction: -1.25, se: 0.4, ciLower: -2.05, ciUpper: -0.45 },
        },
        after: {
          key: "A-dataset-v2|infliximab",
          studyTitle: "Trial A",
          datasetVersion: 2,
          n: 80,
          excluded: false,
          fit: { interaction: -1.5, se: 0.4, ciLower: -2.3, ciUpper: -0.7 },
        },
      },
    ]);
    expect(diff.sourcesUpdated).toEqual([{ studyTitle: "Trial A", what: "dataset “Trial A data”", before: 1, after: 2 }]);
    expect(diff.summary).toBe("Pooled interaction moved, 1 trial moved, 1 source updated");
  });

  it("does not call a trial re-imported with the same numbers moved, nor the pooled interaction, but names the new source", () => {
    const same = trial("B", { key: "B-dataset-v2|infliximab", datasetVersion: 2 });
    const diff = compareEffectModification(before, analysis([trial("A"), same]));
    expect(diff.trials).toEqual([]);
    expect(diff.pooled.moved).toBe(false);
    expect(diff.summary).toBe("1 source updated");
  });

  it("judges a trial moved by any fitted number or its n, and by a fit that appeared or vanished", () => {
    const changed = (t: ComparedTrial) => compareEffectModification(before, analysis([trial("A"), t])).trials.map((c) => c.change);
    expect(changed(trial("B", { n: 79 }))).toEqual(["moved"]);
    expect(changed(trial("B", { fit: { ...trial("B").fit!, xMax: 3.1000000000000005 } }))).toEqual(["moved"]);
    expect(changed(trial("B", { fit: { ...trial("B").fit!, overall: { yi: -3, vi: 0.51 } } }))).toEqual(["moved"]);
    expect(changed(trial("B", { fit: null }))).toEqual(["moved"]);
    expect(changed(trial("B", { studyTitle: "Trial B (renamed)" }))).toEqual([]);
  });

  it("lists new trials and trials no longer included, with their fits on the side they are on", () => {
    const after = analysis([trial("A"), trial("C"), trial("D")], {}, { k: 3 });
    const diff = compareEffectModification(before, after);
    expect(diff.trials.map((t) => [t.change, t.studyTitle, t.before?.fit?.interaction ?? null, t.after?.fit?.interaction ?? null])).toEqual(
      [
        ["added", "Trial C", null, -1.25],
        ["added", "Trial D", null, -1.25],
        ["removed", "Trial B", -1.25, null],
      ],
    );
    expect(diff.summary).toBe("Pooled interaction moved, 2 new trials, 1 trial no longer included");
  });

  it("names a site summary's new upload as its source, once per source", () => {
    const site = (version: number, interventionName = "infliximab") =>
      trial("S", {
        source: "site",
        datasetName: "Site summary “Leiden”",
        datasetVersion: version,
        interventionName,
        key: `site-v${version}|${interventionName}`,
      });
    const diff = compareEffectModification(analysis([site(1), site(1, "etanercept")]), analysis([site(2), site(2, "etanercept")]));
    expect(diff.sourcesUpdated).toEqual([{ studyTitle: "Trial S", what: "site summary “Leiden”", before: 1, after: 2 }]);
  });

  it("lists every option that differs, and says so in the summary", () => {
    const after = analysis([trial("A"), trial("B")], { scale: "linear", per: 5, method: "DL", knha: true });
    const diff = compareEffectModification(before, after);
    expect(diff.options).toEqual([
      { option: "scale", before: "log2", after: "linear" },
      { option: "per", before: 1, after: 5 },
      { option: "method", before: "REML", after: "DL" },
      { option: "knha", before: false, after: true },
    ]);
    expect(diff.summary).toBe("4 options differ (scale, per, method, knha)");
  });

  it("keeps the same excluded trial the same choice across a re-import that renamed its key", () => {
    const excluded = (version: number) =>
      analysis([trial("A"), trial("B", { key: `B-dataset-v${version}|infliximab`, datasetVersion: version })], {
        exclude: [`B-dataset-v${version}|infliximab`],
      });
    const diff = compareEffectModification(excluded(1), excluded(2));
    expect(diff.options).toEqual([]);
    expect(diff.pooled.moved).toBe(false);
    expect(diff.summary).toBe("1 source updated");
  });

  it("reads a missing number as the same missing number, whether stored as null or computed as NaN", () => {
    const stored = analysis([trial("A", { fit: { ...trial("A").fit!, df: null } })], {}, { i2: null as unknown as number, q: Number.NaN });
    const live = analysis([trial("A", { fit: { ...trial("A").fit!, df: Number.NaN } })], {}, { i2: Number.NaN, q: Number.NaN });
    const diff = compareEffectModification(stored, live);
    expect(diff.pooled.moved).toBe(false);
    expect(diff.trials).toEqual([]);
    expect(diff.summary).toBe("Nothing changed");
    // A number that became NaN did move.
    const lost = compareEffectModification(live, analysis([trial("A")], {}, { i2: 12.5, q: Number.NaN }));
    expect(lost.pooled.moved).toBe(true);
    expect(lost.trials.map((t) => t.change)).toEqual(["moved"]);
  });

  it("says when nothing could be pooled on one side", () => {
    const none = analysis([trial("A"), trial("B")], {}, null);
    const diff = compareEffectModification(before, none);
    expect(diff.pooled).toMatchObject({ moved: true, after: null });
    expect(compareEffectModification(none, structuredClone(none)).pooled.moved).toBe(false);
  });
});
