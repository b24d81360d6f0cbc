/** How the API writes snapshots, their list and the differences between two of them. */
import type { z } from "zod";
import type { CellSummary } from "#app/domain/comparison.ts";
import type { EffectModificationDiff, PooledSide, TrialSide } from "#app/domain/effect-modification-diff.ts";
import type { SnapshotContent, SnapshotDiff, SnapshotScopeKind } from "#app/domain/snapshots.ts";
import type {
  SnapshotContentJson,
  EffectModificationSnapshotDiffJson,
  SnapshotCreatedJson,
  SnapshotDiffJson,
  SnapshotJson,
  SnapshotSummaryJson,
} from "#app/schemas/snapshots.ts";

export interface SnapshotSummaryView {
  id: string;
  workspaceId: string;
  number: number;
  title: string;
  scope: SnapshotScopeKind;
  hash: string;
  createdAt: Date;
  createdBy: { id: string; name: string };
  withdrawn: { reason: string; by: { id: string; name: string }; at: Date } | null;
}

export interface SnapshotView extends SnapshotSummaryView {
  content: SnapshotContent;
}

export interface SnapshotDiffView {
  from: { id: string; number: number; hash: string };
  /** null: the live view. */
  to: { id: string; number: number; hash: string } | null;
  /** Cells, studies and profiles for the comparison; the pooled interaction and trials for an effect-modification analysis. */
  diff: SnapshotDiff | EffectModificationDiff;
}

/** The snapshot's page, on the origin the app is served from. */
export const snapshotUrl = (origin: string, s: { workspaceId: string; id: string }) =>
  `${origin}/workspaces/${encodeURIComponent(s.workspaceId)}/snapshots/${encodeURIComponent(s.id)}`;

export const snapshotSummaryJson = (s: SnapshotSummaryView, origin: string): z.output<typeof SnapshotSummaryJson> => ({
  id: s.id,
  number: s.number,
  title: s.title,
  scope: s.scope,
  hash: s.hash,
  createdAt: s.createdAt.toISOString(),
  createdBy: s.createdBy,
  url: snapshotUrl(origin, s),
  withdrawn: s.withdrawn && { reason: s.withdrawn.reason, by: s.withdrawn.by, at: s.withdrawn.at.toISOString() },
});

export const snapshotJson = (s: SnapshotView, origin: string): z.output<typeof SnapshotJson> => ({
  ...snapshotSummaryJson(s, origin),
  // The stored JSON as it is, parsed: JSON numbers read back to the same doubles, so nothing is rounded here.
  content: s.content as unknown as z.output<typeof SnapshotContentJson>,
});

export const snapshotCreatedJson = (s: SnapshotSummaryView, origin: string): z.output<typeof SnapshotCreatedJson> => ({
  id: s.id,
  number: s.number,
  hash: s.hash,
  createdAt: s.createdAt.toISOString(),
  url: snapshotUrl(origin, s),
});

const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
const cellNumbers = (c: CellSummary | null) =>
  c && { k: c.k, estimate: finite(c.estimate), ciLower: finite(c.ciLower), ciUpper: finite(c.ciUpper) };

function effectModificationDiffJson(
  diff: EffectModificationDiff,
): z.output<typeof EffectModificationSnapshotDiffJson>["effectModification"] {
  const pooled = (p: PooledSide | null) =>
    p && {
      k: p.k,
      estimate: finite(p.estimate),
      se: finite(p.se),
      ciLower: finite(p.ciLower),
      ciUpper: finite(p.ciUpper),
      tau2: finite(p.tau2),
      i2: finite(p.i2),
      q: finite(p.q),
      piLower: finite(p.piLower),
      piUpper: finite(p.piUpper),
    };
  const side = (t: TrialSide | null) =>
    t && {
      key: t.key,
      studyTitle: t.studyTitle,
      datasetVersion: t.datasetVersion,
      n: t.n,
      excluded: t.excluded,
      fit: t.fit && {
        interaction: finite(t.fit.interaction),
        se: finite(t.fit.se),
        ciLower: finite(t.fit.ciLower),
        ciUpper: finite(t.fit.ciUpper),
      },
    };
  return {
    pooled: { before: pooled(diff.pooled.before), after: pooled(diff.pooled.after), moved: diff.pooled.moved },
    trials: diff.trials.map((t) => ({
      change: t.change,
      studyId: t.studyId,
      studyTitle: t.studyTitle,
      datasetName: t.datasetName,
      interventionName: t.interventionName,
      comparatorName: t.comparatorName,
      source: t.source,
      before: side(t.before),
      after: side(t.after),
    })),
    sourcesUpdated: diff.sourcesUpdated,
    options: diff.options.map((o) => ({
      option: o.option,
      before: typeof o.before === "number" ? finite(o.before) : o.before,
      after: typeof o.after === "number" ? finite(o.after) : o.after,
    })),
  };
}

export function snapshotDiffJson(view: SnapshotDiffView): z.output<typeof SnapshotDiffJson> {
  const { diff } = view;
  if (diff.kind === "effect-modification")
    return { from: view.from, to: view.to, summary: diff.summary, effectModification: effectModificationDiffJson(diff) };
  const cells = (change: "moved" | "added" | "removed", list: SnapshotDiff["moved"]) =>
    list.map((c) => ({
      change,
      row: c.row,
      rowName: c.rowName,
      profileId: c.profileId,
      profileName: c.profileName,
      before: cellNumbers(c.before),
      after: cellNumbers(c.after),
    }));
  return {
    from: view.from,
    to: view.to,
    summary: diff.summary,
    cells: [...cells("moved", diff.moved), ...cells("added", diff.added), ...cells("removed", diff.removed)],
    studiesAdded: diff.studiesAdded,
    studiesRemoved: diff.studiesRemoved,
    sourcesUpdated: diff.sourcesUpdated,
    profilesChanged: diff.profilesChanged,
  };
}
