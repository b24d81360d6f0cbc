/**
 * Snapshots of one effect-modification analysis (scope "effect-modification",
 * decision 031). The analysis is gathered by the live view's own service, so
 * the snapshot holds exactly what the page showed, with every trial's
 * participant points as its inputs; the comparison's fields of the snapshot
 * stay empty. What changed since, and between two such snapshots, is
 * compareEffectModification's answer (app/domain/effect-modification-diff.ts).
 */
import { getDb } from "#db/client.ts";
import { higherIsBetter } from "#app/domain/comparison.ts";
import { type ComparedAnalysis, compareEffectModification, type EffectModificationDiff } from "#app/domain/effect-modification-diff.ts";
import { effectModificationOptionsOf, type StoredEffectModification, type StoredPoint } from "#app/domain/effect-modification-snapshots.ts";
import type { SnapshotContent } from "#app/domain/snapshots.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { getEffectModificationPoints, getEffectModificationView } from "./effect-modification-view.server.ts";
import { unprocessable } from "./errors.server.ts";
import { studyVersions } from "./frozen-records.server.ts";

type Analysis = Pick<
  SnapshotContent,
  "scope" | "options" | "outcome" | "profiles" | "studies" | "inputs" | "setAside" | "outputs" | "effectModification"
>;

/** The stored analysis's question, as the live view's query takes it. */
export const effectModificationQuery = (options: StoredEffectModification["options"]) => ({
  outcome: options.outcome ?? undefined,
  intervention: options.intervention ?? undefined,
  biomarker: options.biomarker ?? undefined,
  scale: options.scale,
  per: options.per,
  method: options.method,
  knha: options.knha,
  exclude: options.exclude,
});

export async function gatherEffectModification(actor: PublicUser, workspaceId: string, query: Record<string, unknown>): Promise<Analysis> {
  const { view, points } = await getEffectModificationPoints(actor, workspaceId, {
    outcome: query.outcome,
    intervention: query.intervention,
    biomarker: query.biomarker,
    scale: query.scale,
    per: query.per,
    method: query.method,
    knha: query.knha,
    exclude: query.exclude,
  });
  if (!view.trials.length)
    throw unprocessable("Nothing to freeze: no trial gives this effect-modification analysis yet.", [
      { field: "intervention", message: "No trials." },
    ]);
  const stored: Record<string, StoredPoint[]> = {};
  for (const trial of view.trials)
    if (trial.source === "dataset")
      stored[trial.key] = (points.get(trial.key) ?? []).map((p) => [p.arm === "intervention" ? 1 : 0, p.x, p.y]);
  return {
    scope: { kind: "effect-modification" },
    // The comparison's options as far as they apply; the analysis's own are in effectModification.options.
    options: {
      outcome: view.outcome?.name ?? null,
      measure: view.outcome?.kind === "binary" ? "OR" : "MD",
      method: view.method,
      knha: view.knha,
      prefer: "participant",
      exclude: view.exclude,
    },
    outcome: view.outcome && { ...view.outcome, higherIsBetter: higherIsBetter(view.outcome.name) },
    profiles: [],
    studies: await studyVersions(getDb(), [...new Set(view.trials.map((t) => t.studyId))]),
    inputs: [],
    setAside: [],
    outputs: { rows: [], forests: {} },
    effectModification: {
      options: effectModificationOptionsOf(view),
      view,
      points: stored,
    },
  };
}

/**
 * What changed in the live view since the snapshot: the same question asked
 * of the workspace as it is now, compared by the same rule as two snapshots.
 * When the live view can no longer ask it (its outcome, intervention or
 * biomarker is gone), says why instead.
 */
export async function effectModificationChangesSince(
  actor: PublicUser,
  workspaceId: string,
  stored: StoredEffectModification,
): Promise<{ diff: EffectModificationDiff } | { unavailable: string }> {
  let live: EffectModificationView;
  try {
    live = await getEffectModificationView(actor, workspaceId, effectModificationQuery(stored.options));
  } catch (error) {
    if (error instanceof Error && "status" in error && (error.status === 400 || error.status === 404))
      return { unavailable: `The live view cannot ask this question any more: ${error.message}` };
    throw error;
  }
  return { diff: compareEffectModification(comparedAnalysis(stored), { options: effectModificationOptionsOf(live), view: live }) };
}

/** A stored analysis as the comparison reads it (the view is stored as the live view's shape). */
export const comparedAnalysis = (stored: StoredEffectModification): ComparedAnalysis => ({
  options: stored.options,
  view: stored.view as EffectModificationView,
});
