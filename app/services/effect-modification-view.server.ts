/**
 * The workspace's effect-modification analysis: for one intervention,
 * outcome and panel biomarker, each participant-level dataset that has them is
 * a trial; its rows are read once, fitted (y ~ arm + x + arm:x) and the fit is
 * cached by everything it depends on (the dataset version, the study's and
 * panel's versions, the outcome, the biomarker and its scale), so a warm view
 * only re-pools. The page, GET …/effect-modification and its CSV and R
 * exports all call `getEffectModificationView`, so they show the same numbers.
 */
import type { z } from "zod";
import { getDb } from "#db/client.ts";
import { outcomeKey } from "#app/domain/comparison-inputs.ts";
import { type CovariateTransform, describeTransform, fitNumbers, fitTrials, poolTrials } from "#app/domain/effect-modification.ts";
import {
  analysableBiomarkers,
  analysableInterventions,
  analysableOutcomes,
  defaultTransform,
  planTrials,
  pointOf,
  profileCutoffs,
  planSiteTrials,
  type SiteTrialPlan,
  type TrialPlan,
  trialArmOf,
} from "#app/domain/effect-modification-inputs.ts";
import { interactionInterval, type ParticipantPoint } from "#app/domain/interaction-fits.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type {
  EffectModificationMatrixView,
  EffectModificationTrial,
  EffectModificationView,
} from "#app/public-shapes/effect-modification.ts";
import { higherIsBetter } from "#app/domain/comparison.ts";
import { EffectModificationQuery } from "#app/schemas/effect-modification.ts";
import { type LoadedStudy, loadSources, type Sources } from "./comparison-sources.server.ts";
import { datasetRowsInPages } from "./dataset-views.server.ts";
import { validationFailed } from "./errors.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { type DataFeed, effectModifierMarks } from "./registrations.server.ts";
import { parseInput } from "./validation.server.ts";

export type { EffectModificationMatrixView, EffectModificationView };

type TrialFit = Omit<
  EffectModificationTrial,
  | "source"
  | "key"
  | "studyId"
  | "studyTitle"
  | "datasetId"
  | "datasetName"
  | "datasetVersion"
  | "interventionName"
  | "comparatorName"
  | "outcomeDefinition"
  | "columnName"
  | "conversion"
>;

const MAX_ENTRIES = 5_000;
const RUG_POINTS = 60;
const cache = new Map<string, TrialFit>();

/** For the benchmark's cold runs. */
export function clearEffectModificationCache() {
  cache.clear();
}

function remember(key: string, fit: TrialFit) {
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, fit);
}

/** Evenly spaced order statistics: where the participants are, without sending every value. */
function rugOf(points: ParticipantPoint[]): number[] {
  const xs = points.map((p) => p.x).sort((a, b) => a - b);
  if (xs.length <= RUG_POINTS) return xs;
  return Array.from({ length: RUG_POINTS }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (RUG_POINTS - 1))]);
}

/** A trial fitted at its site: its interaction as the site computed it, with the interval our own fits would give. */
function siteTrial(plan: SiteTrialPlan, kind: "continuous" | "binary"): EffectModificationTrial {
  const i = plan.interaction;
  const df = kind === "continuous" ? i.n - 4 : null;
  return {
    key: plan.key,
    studyId: plan.studyId,
    studyTitle: plan.studyTitle,
    datasetId: plan.siteSummaryId,
    datasetName: `Site summary “${plan.site}”`,
    datasetVersion: plan.version,
    interventionName: plan.interventionName,
    comparatorName: plan.comparatorName,
    outcomeDefinition: "as computed at the site",
    columnName: "computed at the site",
    conversion: null,
    source: "site",
    n: i.n,
    rowsLeftOut: 0,
    fit: {
      interaction: i.interaction,
      se: i.se,
      ...interactionInterval(i.interaction, i.se, df),
      effectAtZero: i.effectAtZero,
      varEffectAtZero: i.varEffectAtZero,
      covEffectInteraction: i.covEffectInteraction,
      df,
      xMin: i.xMin,
      xMax: i.xMax,
      xMean: i.xMean,
      overall: null,
    },
    note: null,
    // No participant's value leaves a site, so there is no rug for it.
    rug: [],
  };
}

/** The trial's participants as points: rows of its two arms with both values, and how many rows lacked one. */
async function readTrialPoints(trial: TrialPlan, transform: CovariateTransform) {
  const points: ParticipantPoint[] = [];
  let rowsLeftOut = 0;
  for await (const row of datasetRowsInPages(trial.datasetId)) {
    const side = trialArmOf(trial, row.arm);
    if (!side) continue;
    const point = pointOf(trial, side, row.values, transform);
    if (point) points.push(point);
    else rowsLeftOut++;
  }
  return { points, rowsLeftOut };
}

async function readAndFit(trial: TrialPlan, kind: "continuous" | "binary", transform: CovariateTransform): Promise<TrialFit> {
  const { points, rowsLeftOut } = await readTrialPoints(trial, transform);
  const { fitted, notFitted } = fitTrials(kind, [{ label: trial.key, points }]);
  const fit = fitted[0];
  return {
    n: points.length,
    rowsLeftOut,
    fit: fit ? fitNumbers(fit) : null,
    note: notFitted[0] ? `This trial ${notFitted[0].reason.replace(/^Left out of the pooling: /, "is left out of the pooling: ")}` : null,
    rug: rugOf(points),
  };
}

function choose<T>(
  options: T[],
  wanted: string | undefined,
  matches: (option: T, wanted: string) => boolean,
  field: string,
  what: string,
): T | null {
  if (wanted === undefined || wanted === "") return options[0] ?? null;
  const found = options.find((o) => matches(o, wanted));
  if (!found) throw validationFailed(`${field}: ${what}`, [{ field, message: what }]);
  return found;
}

/** The analysis for one choice (defaults: the outcome with most trials, the first intervention, hs-CRP per doubling). */
export async function getEffectModificationView(actor: PublicUser, workspaceId: string, query: unknown): Promise<EffectModificationView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return (await resolve(workspaceId, query)).view;
}

/** The view and, per trial (by key), its participant points on the analysis scale: what the R script refits. */
export async function getEffectModificationPoints(actor: PublicUser, workspaceId: string, query: unknown) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { view, plans, transform } = await resolve(workspaceId, query);
  const points = new Map<string, ParticipantPoint[]>();
  for (const plan of plans) points.set(plan.key, (await readTrialPoints(plan, transform)).points);
  return { view, points };
}

async function resolve(workspaceId: string, query: unknown): Promise<Resolved> {
  const db = getDb();
  const resolved = await resolveIn(await loadSources(db, workspaceId), parseInput(EffectModificationQuery, query));
  const { view } = resolved;
  // Was the biomarker pre-specified for this outcome before any of these trials' data arrived (decision 031)?
  // Nothing is marked when there is no analysis to mark.
  const marks =
    view.biomarker && view.outcome && view.intervention
      ? await effectModifierMarks(db, workspaceId, {
          outcome: view.outcome.name,
          biomarkers: [{ code: view.biomarker.code, feeds: view.trials.map(feedOf) }],
        })
      : null;
  return { ...resolved, view: { ...view, registration: (view.biomarker && marks?.get(view.biomarker.code)) ?? null } };
}

/** The data a trial was fitted from: a participant-level dataset version, or a site's summary. */
const feedOf = (trial: EffectModificationTrial): DataFeed =>
  trial.source === "site" ? { siteSummaryIds: [trial.datasetId] } : { datasetId: trial.datasetId };

type Resolved = { view: EffectModificationView; plans: TrialPlan[]; transform: CovariateTransform };

async function resolveIn(sources: Sources, parsed: z.output<typeof EffectModificationQuery>): Promise<Resolved> {
  const studies: LoadedStudy[] = sources.studies;
  const outcomes = analysableOutcomes(studies);
  const outcome = choose(
    outcomes,
    parsed.outcome,
    (o, w) => o.key === outcomeKey(w),
    "outcome",
    `No participant-level dataset gives “${parsed.outcome}”.`,
  );
  const interventions = outcome ? analysableInterventions(studies, outcome) : [];
  const intervention = choose(
    interventions,
    parsed.intervention,
    (i, w) => i.key === w.trim().toLowerCase() || i.key === w.trim(),
    "intervention",
    `No trial of “${parsed.intervention}” has participant-level data on this outcome.`,
  );
  const biomarkers = analysableBiomarkers(studies, sources.workspaceMarkers);
  const preferred = parsed.biomarker ?? (biomarkers.some((b) => b.code === "hs_crp") ? "hs_crp" : undefined);
  const biomarker = choose(
    biomarkers,
    preferred,
    (b, w) => b.code === w,
    "biomarker",
    `No dataset measures the biomarker “${parsed.biomarker}”.`,
  );
  const fallback = defaultTransform(biomarker?.code ?? "");
  const scale = parsed.scale ?? fallback.scale;
  const transform: CovariateTransform = { scale, per: scale === "linear" ? (parsed.per ?? (parsed.scale ? 1 : fallback.per)) : 1 };
  const options = { method: parsed.method, knha: parsed.knha };

  const base = {
    outcomes,
    outcome: outcome ? { key: outcome.key, name: outcome.name, kind: outcome.kind } : null,
    interventions,
    intervention: intervention?.key ?? null,
    biomarkers: biomarkers.map((b) => ({ code: b.code, label: b.label, unit: b.unit })),
    biomarker: biomarker ? { code: biomarker.code, label: biomarker.label, unit: biomarker.unit } : null,
    transform,
    transformText: biomarker ? describeTransform(transform, biomarker.label, biomarker.unit) : "",
    effectScale: outcome?.kind === "binary" ? "log odds ratio" : `mean difference in ${outcome?.name ?? "the outcome"}`,
    method: parsed.method,
    knha: parsed.knha,
    exclude: parsed.exclude,
  };
  if (!outcome || !intervention || !biomarker) {
    return {
      view: { ...base, trials: [], skipped: [], cutoffs: [], pooled: null, line: null, across: null, registration: null },
      plans: [],
      transform,
    };
  }

  const { trials: plans, skipped: skippedDatasets } = planTrials(studies, outcome, intervention.key, biomarker);
  const { trials: sitePlans, skipped: skippedSites } = planSiteTrials(studies, outcome, intervention.key, biomarker, transform);
  const skipped = [...skippedDatasets, ...skippedSites];
  const markersKey = sources.panelOf(null).key;
  const trials: EffectModificationTrial[] = [];
  for (const plan of plans) {
    const study = studies.find((s) => s.id === plan.studyId)!;
    const key = [
      plan.key,
      `${study.id}@${study.version}`,
      markersKey,
      plan.outcome.outcomeId,
      biomarker.code,
      transform.scale,
      transform.per,
    ].join("|");
    let fit = cache.get(key);
    if (!fit) {
      fit = await readAndFit(plan, outcome.kind, transform);
      remember(key, fit);
    }
    trials.push({
      key: plan.key,
      studyId: plan.studyId,
      studyTitle: plan.studyTitle,
      datasetId: plan.datasetId,
      datasetName: plan.datasetName,
      datasetVersion: plan.datasetVersion,
      interventionName: plan.interventionName,
      comparatorName: plan.comparatorName,
      outcomeDefinition: plan.outcome.definition,
      columnName: plan.columnName,
      conversion: plan.conversion,
      source: "dataset",
      ...fit,
    });
  }
  for (const plan of sitePlans) trials.push(siteTrial(plan, outcome.kind));
  return {
    view: {
      ...base,
      trials,
      skipped,
      cutoffs: profileCutoffs(sources.profiles, biomarker),
      ...poolTrials(trials, parsed.exclude, options),
      // Marked by `resolve`: the matrix resolves every cell and marks its columns once.
      registration: null,
    },
    plans,
    transform,
  };
}

/**
 * Every intervention (and class) against every biomarker the datasets measure,
 * each on its usual scale: the pooled within-trial interaction per cell, for
 * the matrix at the top of the page. Fits come from the same cache as the
 * detailed view, so opening a cell afterwards costs nothing more.
 */
export async function getEffectModificationMatrix(
  actor: PublicUser,
  workspaceId: string,
  query: unknown,
): Promise<EffectModificationMatrixView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const parsed = parseInput(EffectModificationQuery, query);
  const sources = await loadSources(getDb(), workspaceId);
  const first = await resolveIn(sources, {
    ...parsed,
    intervention: undefined,
    biomarker: undefined,
    scale: undefined,
    per: undefined,
    exclude: [],
  });
  const { view } = first;
  const rows: EffectModificationMatrixView["rows"] = [];
  // Every trial of a column feeds its mark: the column's first data is the earliest of any of its cells.
  const feeds = new Map<string, DataFeed[]>(view.biomarkers.map((b) => [b.code, []]));
  for (const intervention of view.interventions) {
    const cells: EffectModificationMatrixView["rows"][number]["cells"] = [];
    for (const biomarker of view.biomarkers) {
      const { view: cell } = await resolveIn(sources, {
        ...parsed,
        outcome: view.outcome?.name,
        intervention: intervention.key,
        biomarker: biomarker.code,
        scale: undefined,
        per: undefined,
        exclude: [],
      });
      feeds.get(biomarker.code)!.push(...cell.trials.map(feedOf));
      const fitted = cell.trials.filter((t) => t.fit);
      cells.push({
        biomarker: biomarker.code,
        transformText: cell.transformText,
        trials: cell.trials.length,
        n: fitted.reduce((total, t) => total + t.n, 0),
        pooled: cell.pooled && {
          k: cell.pooled.k,
          estimate: cell.pooled.estimate,
          ciLower: cell.pooled.ciLower,
          ciUpper: cell.pooled.ciUpper,
          pval: cell.pooled.pval,
        },
      });
    }
    rows.push({ key: intervention.key, name: intervention.name, kind: intervention.kind, class: intervention.class, cells });
  }
  const marks = await effectModifierMarks(getDb(), workspaceId, {
    outcome: view.outcome?.name ?? null,
    biomarkers: [...feeds].map(([code, fed]) => ({ code, feeds: fed })),
  });
  return {
    outcomes: view.outcomes,
    outcome: view.outcome,
    higherIsBetter: view.outcome ? higherIsBetter(view.outcome.name) : true,
    effectScale: view.effectScale,
    method: parsed.method,
    knha: parsed.knha,
    biomarkers: view.biomarkers.map((b) => ({ ...b, registration: marks?.get(b.code) ?? null })),
    rows,
  };
}
