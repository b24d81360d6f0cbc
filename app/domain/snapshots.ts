/**
 * Snapshots: a comparison (or one of its cells) frozen for publication, with
 * every input, option and number it produced (docs/decisions/027-snapshots.md).
 * The stored numbers come from the same pure code as the live view
 * (comparison.ts); `snapshotOutputs` recomputes them from a snapshot's stored
 * inputs, and `compareSnapshots` says what moved between two snapshots, or
 * between a snapshot and the live view. Pure code: the pages use it too.
 */
import {
  analyseForest,
  buildMatrix,
  type CellSummary,
  type ComparisonInput,
  type ComparisonOptions,
  type ForestAnalysis,
  type ForestStudy,
  inputsOfRow,
  type MatrixRow,
  type SourcePreference,
} from "./comparison.ts";
import type { EffectMeasure } from "./effect-sizes.ts";
import type { PoolingMethod } from "./meta-analysis.ts";
import type { ProfileRegistrationMark } from "./registrations.ts";
import type { StoredEffectModification } from "./effect-modification-snapshots.ts";

/** Written into every snapshot; a later change of the stored shape gets a new number. */
export const SNAPSHOT_FORMAT = "consilience-snapshot/1";

export const SNAPSHOT_SCOPES = ["comparison", "cell", "effect-modification"] as const;
export type SnapshotScopeKind = (typeof SNAPSHOT_SCOPES)[number];

/** The licences a snapshot may carry (SPDX identifiers), with what a citation and the RO-Crate link to. */
export const LICENCES = {
  "CC-BY-4.0": { name: "Creative Commons Attribution 4.0 International", url: "https://creativecommons.org/licenses/by/4.0/" },
  "CC0-1.0": { name: "Creative Commons Zero 1.0 Universal (public domain)", url: "https://creativecommons.org/publicdomain/zero/1.0/" },
  "CC-BY-SA-4.0": {
    name: "Creative Commons Attribution-ShareAlike 4.0 International",
    url: "https://creativecommons.org/licenses/by-sa/4.0/",
  },
  "CC-BY-NC-4.0": {
    name: "Creative Commons Attribution-NonCommercial 4.0 International",
    url: "https://creativecommons.org/licenses/by-nc/4.0/",
  },
} as const;
export type LicenceId = keyof typeof LICENCES;
export const LICENCE_IDS = Object.keys(LICENCES) as [LicenceId, ...LicenceId[]];

export type SnapshotScope =
  | { kind: "comparison" }
  | { kind: "cell"; row: string; profileId: string | null }
  | { kind: "effect-modification" };

/** The comparison's query as it was frozen: enough to ask the live view the same question again. */
export interface SnapshotOptions {
  outcome: string | null;
  measure: EffectMeasure;
  method: PoolingMethod;
  knha: boolean;
  prefer: SourcePreference;
  exclude: string[];
}

/** A forest plot's study row as stored: the input by id (the inputs are stored once). */
export type StoredForestStudy = Omit<ForestStudy, "input"> & { inputId: string };
export type StoredForest = Omit<ForestAnalysis, "groups"> & {
  groups: (Omit<ForestAnalysis["groups"][number], "studies"> & { studies: StoredForestStudy[] })[];
};

export interface SnapshotOutputs {
  /** The matrix rows frozen (one for a cell), cells aligned with the snapshot's profiles. */
  rows: MatrixRow[];
  /** Each row's forest plot across the snapshot's profiles, by row key. */
  forests: Record<string, StoredForest>;
}

export interface SnapshotAuthor {
  name: string;
  orcid: string | null;
}

export interface SnapshotProfile {
  id: string;
  name: string;
  version: number;
  text: string;
  description: string;
  criteria: unknown;
  /** Pre-registered, changed since, or added after (decision 031): absent from snapshots frozen before registrations existed. */
  registration?: ProfileRegistrationMark | null;
}

export interface SnapshotStudy {
  id: string;
  title: string;
  version: number;
  panel: { id: string; name: string; version: number } | null;
}

/** Everything a snapshot holds; its canonical JSON is what the hash is taken over. */
export interface SnapshotContent {
  format: typeof SNAPSHOT_FORMAT;
  metadata: {
    title: string;
    number: number;
    authors: SnapshotAuthor[];
    licence: LicenceId;
    createdAt: string;
    createdBy: string;
    workspace: { id: string; name: string };
    /** Earlier snapshots of the workspace (number and hash), for citations that relate versions. */
    previous: { id: string; number: number; hash: string }[];
  };
  scope: SnapshotScope;
  options: SnapshotOptions;
  outcome: { key: string; name: string; kind: "continuous" | "binary"; higherIsBetter: boolean } | null;
  profiles: SnapshotProfile[];
  studies: SnapshotStudy[];
  inputs: ComparisonInput[];
  setAside: { input: ComparisonInput; usedInstead: string }[];
  outputs: SnapshotOutputs;
  /**
   * Scope "effect-modification" only (decision 031): the analysis, its inputs and numbers. The comparison's
   * fields are then empty (no profiles, inputs or rows), so every reader of comparison snapshots stays as it was.
   */
  effectModification?: StoredEffectModification;
}

/** The part of a snapshot that the live view can also produce: what `compareSnapshots` reads. */
export type SnapshotAnalysis = Pick<SnapshotContent, "profiles" | "studies" | "inputs" | "outputs">;

export function storeForest(forest: ForestAnalysis): StoredForest {
  return {
    ...forest,
    groups: forest.groups.map((g) => ({ ...g, studies: g.studies.map(({ input, ...study }) => ({ ...study, inputId: input.id })) })),
  };
}

/** A stored forest plot with its inputs put back, as the plot components take it. */
export function restoreForest(forest: StoredForest, inputs: ComparisonInput[]): ForestAnalysis {
  const byId = new Map(inputs.map((i) => [i.id, i]));
  return {
    ...forest,
    groups: forest.groups.map((g) => ({
      ...g,
      studies: g.studies.map(({ inputId, ...study }) => ({ ...study, input: byId.get(inputId)! })),
    })),
  };
}

/** One profile's column of a stored forest: its group alone, pooled as the live view pools a single cell. */
export function forestOfProfile(forest: StoredForest, profileId: string): StoredForest {
  const group = forest.groups.find((g) => g.profileId === profileId);
  return { ...forest, groups: group ? [group] : [], overall: group?.pooled ?? null, test: null };
}

export const comparisonOptions = (options: SnapshotOptions): ComparisonOptions => ({
  measure: options.measure,
  method: options.method,
  knha: options.knha,
  exclude: options.exclude,
});

/** Each row's forest plot across the profiles, as the live cell view computes it. */
export function forestsOf(rows: MatrixRow[], inputs: ComparisonInput[], profileIds: string[], options: ComparisonOptions) {
  const forests: Record<string, StoredForest> = {};
  for (const row of rows) forests[row.key] = storeForest(analyseForest(inputsOfRow(inputs, row.key), profileIds, options));
  return forests;
}

/**
 * The numbers a snapshot's stored inputs give, computed again: equal to its
 * stored outputs to the digit, whatever the live data became since.
 */
export function snapshotOutputs(content: Pick<SnapshotContent, "scope" | "options" | "profiles" | "inputs">): SnapshotOutputs {
  const profileIds = content.profiles.map((p) => p.id);
  const options = comparisonOptions(content.options);
  const inputs = content.scope.kind === "cell" ? inputsOfRow(content.inputs, content.scope.row) : content.inputs;
  let rows = buildMatrix(inputs, profileIds, options);
  if (content.scope.kind === "cell") {
    const key = content.scope.row;
    rows = rows.filter((r) => r.key === key);
  }
  return { rows, forests: forestsOf(rows, content.inputs, profileIds, options) };
}

// ---------------------------------------------------------------------------
// What changed between two analyses.

export interface CellChange {
  row: string;
  rowName: string;
  profileId: string;
  profileName: string;
  before: CellSummary | null;
  after: CellSummary | null;
}

export interface SnapshotDiff {
  /** Tells it from an effect-modification analysis's differences (effect-modification-diff.ts). */
  kind: "comparison";
  moved: CellChange[];
  added: CellChange[];
  removed: CellChange[];
  studiesAdded: { id: string; title: string }[];
  studiesRemoved: { id: string; title: string }[];
  /** Inputs whose source changed version: a dataset re-imported, a result edited. */
  sourcesUpdated: { studyTitle: string; what: string; before: number; after: number }[];
  profilesChanged: { id: string; name: string; before: number | null; after: number | null }[];
  /** "3 cells moved, 1 new study", or "Nothing changed". */
  summary: string;
}

/** Whether a cell's numbers differ: any pooled statistic, to the digit, or which inputs it pooled. */
function cellMoved(a: CellSummary, b: CellSummary): boolean {
  const keys = ["k", "n", "estimate", "ciLower", "ciUpper", "piLower", "piUpper", "tau2", "i2", "q"] as const;
  const same = (x: number | null, y: number | null) => x === y || (x !== null && y !== null && Number.isNaN(x) && Number.isNaN(y));
  return keys.some((k) => !same(a[k], b[k])) || a.inputIds.join("|") !== b.inputIds.join("|");
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What changed from `before` to `after`: cells that moved, appeared or vanished, studies, sources and profiles. */
export function compareSnapshots(before: SnapshotAnalysis, after: SnapshotAnalysis): SnapshotDiff {
  const cells = (a: SnapshotAnalysis) => {
    const map = new Map<string, { row: MatrixRow; profileId: string; cell: CellSummary | null }>();
    for (const row of a.outputs.rows)
      row.cells.forEach((cell, i) => {
        map.set(`${row.key}|${a.profiles[i].id}`, { row, profileId: a.profiles[i].id, cell });
      });
    return map;
  };
  const profileName = (id: string) => after.profiles.find((p) => p.id === id)?.name ?? before.profiles.find((p) => p.id === id)?.name ?? id;
  const was = cells(before);
  const now = cells(after);
  const moved: CellChange[] = [];
  const added: CellChange[] = [];
  const removed: CellChange[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key);
    const b = now.get(key);
    const change = {
      row: (a ?? b)!.row.key,
      rowName: (a ?? b)!.row.name,
      profileId: (a ?? b)!.profileId,
      profileName: profileName((a ?? b)!.profileId),
      before: a?.cell ?? null,
      after: b?.cell ?? null,
    };
    if (change.before && change.after) {
      if (cellMoved(change.before, change.after)) moved.push(change);
    } else if (change.after) added.push(change);
    else if (change.before) removed.push(change);
  }
  const studiesOf = (a: SnapshotAnalysis) => new Map(a.inputs.map((i) => [i.studyId, i.studyTitle]));
  const studiesBefore = studiesOf(before);
  const studiesAfter = studiesOf(after);
  const studiesAdded = [...studiesAfter].filter(([id]) => !studiesBefore.has(id)).map(([id, title]) => ({ id, title }));
  const studiesRemoved = [...studiesBefore].filter(([id]) => !studiesAfter.has(id)).map(([id, title]) => ({ id, title }));

  const versions = (a: SnapshotAnalysis) => {
    const map = new Map<string, { studyTitle: string; what: string; version: number }>();
    for (const i of a.inputs) {
      if (i.datasetId && i.datasetVersion !== undefined)
        map.set(`dataset|${i.studyId}|${i.datasetName}`, {
          studyTitle: i.studyTitle,
          what: `dataset “${i.datasetName}”`,
          version: i.datasetVersion,
        });
      if (i.resultId && i.resultVersion !== undefined)
        map.set(`result|${i.resultId}`, {
          studyTitle: i.studyTitle,
          what: `result for “${i.subgroup || "the whole sample"}”`,
          version: i.resultVersion,
        });
    }
    return map;
  };
  const sourcesBefore = versions(before);
  const sourcesUpdated = [...versions(after)].flatMap(([key, now]) => {
    const then = sourcesBefore.get(key);
    return then && then.version !== now.version
      ? [{ studyTitle: now.studyTitle, what: now.what, before: then.version, after: now.version }]
      : [];
  });

  const profilesChanged = [...new Set([...before.profiles, ...after.profiles].map((p) => p.id))].flatMap((id) => {
    const a = before.profiles.find((p) => p.id === id);
    const b = after.profiles.find((p) => p.id === id);
    return a?.version === b?.version ? [] : [{ id, name: (b ?? a)!.name, before: a?.version ?? null, after: b?.version ?? null }];
  });

  const parts = [
    moved.length ? `${plural(moved.length, "cell", "cells")} moved` : "",
    added.length ? `${plural(added.length, "new cell", "new cells")}` : "",
    removed.length ? `${plural(removed.length, "cell", "cells")} gone` : "",
    studiesAdded.length ? plural(studiesAdded.length, "new study", "new studies") : "",
    studiesRemoved.length ? `${plural(studiesRemoved.length, "study", "studies")} no longer included` : "",
    sourcesUpdated.length ? `${plural(sourcesUpdated.length, "source", "sources")} updated` : "",
    profilesChanged.length ? `${plural(profilesChanged.length, "profile", "profiles")} changed` : "",
  ].filter(Boolean);
  return {
    kind: "comparison",
    moved,
    added,
    removed,
    studiesAdded,
    studiesRemoved,
    sourcesUpdated,
    profilesChanged,
    summary: parts.length ? parts.join(", ") : "Nothing changed",
  };
}
