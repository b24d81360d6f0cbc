/**
 * Snapshots of one effect-modification analysis (scope "effect-modification",
 * decision 031). The analysis is gathered by the live view's own service, so
 * the snapshot holds exactly what the page showed, with every trial's
 * participant points as its inputs; the comparison's fields of the snapshot
 * stay empty. What changed since is said in a sentence of its own.
 */
import { getDb } from "#db/client.ts";
import { higherIsBetter } from "#app/domain/comparison.ts";
import type { StoredEffectModification, StoredPoint } from "#app/domain/effect-modification-snapshots.ts";
import type { SnapshotContent } from "#app/domain/snapshots.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { getEffectModificationPoints, getEffectModificationView } from "./effect-modification-view.server.ts";
import { unprocessable } from "./errors.server.ts";
import { canonicalText, studyVersions } from "./frozen-records.server.ts";

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
      options: {
        outcome: view.outcome?.name ?? null,
        intervention: view.intervention,
        biomarker: view.biomarker?.code ?? null,
        scale: view.transform.scale,
        per: view.transform.per,
        method: view.method,
        knha: view.knha,
        exclude: view.exclude,
      },
      view,
      points: stored,
    },
  };
}

/** Stored numbers come back with their keys sorted (canonical JSON): compare canonical forms, not insertion orders. */
const same = (a: unknown, b: unknown) => canonicalText(a) === canonicalText(b);

/** "Pooled interaction moved, 1 new trial, 1 source updated", or why the live view cannot answer. */
export async function effectModificationChangesSince(
  actor: PublicUser,
  workspaceId: string,
  stored: StoredEffectModification,
): Promise<{ summary: string } | { unavailable: string }> {
  let live: EffectModificationView;
  try {
    live = await getEffectModificationView(actor, workspaceId, effectModificationQuery(stored.options));
  } catch (error) {
    if (error instanceof Error && "status" in error && (error.status === 400 || error.status === 404))
      return { unavailable: `The live view cannot ask this question any more: ${error.message}` };
    throw error;
  }
  const then = stored.view as EffectModificationView;
  // A trial is the same trial across a re-import (its key names the dataset version's id): study, dataset name and arm.
  const identity = (t: EffectModificationView["trials"][number]) => `${t.studyId}|${t.datasetName}|${t.interventionName}`;
  const before = new Map(then.trials.map((t) => [identity(t), t]));
  const after = new Map(live.trials.map((t) => [identity(t), t]));
  const added = [...after.keys()].filter((k) => !before.has(k)).length;
  const gone = [...before.keys()].filter((k) => !after.has(k)).length;
  const updated = [...after].filter(([k, t]) => before.has(k) && before.get(k)!.datasetVersion !== t.datasetVersion).length;
  const moved = [...after].filter(([k, t]) => before.has(k) && !same(before.get(k)!.fit, t.fit)).length;
  const parts = [
    same(then.pooled, live.pooled) ? "" : "the pooled interaction moved",
    moved ? `${moved} ${moved === 1 ? "trial's fit" : "trials' fits"} moved` : "",
    added ? `${added} new ${added === 1 ? "trial" : "trials"}` : "",
    gone ? `${gone} ${gone === 1 ? "trial" : "trials"} no longer included` : "",
    updated ? `${updated} ${updated === 1 ? "source" : "sources"} updated` : "",
  ].filter(Boolean);
  const text = parts.join(", ");
  return { summary: parts.length ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : "Nothing changed." };
}
