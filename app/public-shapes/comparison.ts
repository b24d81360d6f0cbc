/** How the API writes the comparison and the profiles' counts (numbers unrounded: the page rounds the same values). */
import type { z } from "zod";
import type {
  CellSummary,
  ComparisonInput,
  ComparisonOptions,
  ForestAnalysis,
  MatrixRow,
  PooledSummary,
  SourcePreference,
} from "#app/domain/comparison.ts";
import type { OutcomeOption } from "#app/domain/comparison-inputs.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import type { ProfileCountsView } from "#app/domain/profile-summaries.ts";
import type { ComparisonCellJson, ComparisonInputJson, ComparisonJson, PooledJson, WithinTrialJson } from "#app/schemas/comparison.ts";
import type { SubgroupDifferenceAnalysis } from "#app/domain/subgroup-difference.ts";
import type { ProfileCountsJson } from "#app/schemas/profiles.ts";
import type { ProfileRegistrationMark } from "#app/domain/registrations.ts";
import { profileRegistrationJson } from "./registrations.ts";

export interface ComparisonView {
  outcomes: OutcomeOption[];
  outcome: (OutcomeOption & { higherIsBetter: boolean }) | null;
  measure: EffectMeasure;
  measures: EffectMeasure[];
  method: ComparisonOptions["method"];
  knha: boolean;
  prefer: SourcePreference;
  exclude: string[];
  /** `registration`: whether the profile was pre-registered (decision 031); set by the comparison itself, null with no registration. */
  profiles: {
    id: string;
    name: string;
    version: number;
    text: string;
    description: string;
    registration?: ProfileRegistrationMark | null;
  }[];
  rows: MatrixRow[];
  /** The inputs used (one per study, row and profile), for forest plots and provenance. */
  inputs: ComparisonInput[];
  /** Inputs set aside because the same study gave the preferred kind for the cell. */
  setAside: { input: ComparisonInput; usedInstead: string }[];
  studies: { id: string; title: string }[];
}

export interface ComparisonCell {
  view: ComparisonView;
  row: MatrixRow;
  profileIds: string[];
  inputs: ComparisonInput[];
  forest: ForestAnalysis;
}

/** A statistic that is not finite (a zero-width Knapp–Hartung interval) is written as null, as the calculator does. */
const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export const pooledJson = (p: PooledSummary): z.output<typeof PooledJson> => ({
  k: p.k,
  n: p.n,
  estimate: finite(p.estimate),
  ciLower: finite(p.ciLower),
  ciUpper: finite(p.ciUpper),
  piLower: finite(p.piLower),
  piUpper: finite(p.piUpper),
  yi: finite(p.yi),
  se: finite(p.se),
  tau2: finite(p.tau2),
  i2: finite(p.i2),
  q: finite(p.q),
  qP: finite(p.qP),
  pval: finite(p.pval),
});

type CellJson = z.output<typeof ComparisonJson>["rows"][number]["cells"][number];

const cellJson = (profileId: string, cell: CellSummary | null): CellJson =>
  cell
    ? {
        profileId,
        ...pooledJson(cell),
        sources: cell.sources,
        thin: cell.thin,
        thinReasons: cell.thinReasons,
        studyIds: cell.studyIds,
        inputIds: cell.inputIds,
        notEstimable: cell.notEstimable,
      }
    : { profileId, k: 0 };

export const inputJson = (i: ComparisonInput): z.output<typeof ComparisonInputJson> => ({
  id: i.id,
  studyId: i.studyId,
  studyTitle: i.studyTitle,
  population: i.population,
  row: `intervention:${i.rowKey}`,
  intervention: i.interventionName,
  class: i.interventionClass,
  dose: i.dose,
  comparator: i.comparatorName,
  profileId: i.profileId,
  source: i.source,
  datasetId: i.datasetId ?? null,
  datasetName: i.datasetName ?? null,
  datasetVersion: i.datasetVersion ?? null,
  siteSummaryIds: i.siteSummaryIds ?? [],
  outcomeDefinition: i.outcomeDefinition ?? null,
  conversions: i.conversions ?? [],
  resultId: i.resultId ?? null,
  resultVersion: i.resultVersion ?? null,
  subgroup: i.subgroup ?? null,
  cutoffDifferences: i.cutoffDifferences ?? [],
  data: i.data,
});

const rowHeaderJson = (r: MatrixRow) => ({ key: r.key, kind: r.kind, class: r.className, name: r.name, dose: r.dose });

const profileColumnJson = (p: ComparisonView["profiles"][number]) => ({
  id: p.id,
  name: p.name,
  version: p.version,
  text: p.text,
  description: p.description,
});

/** `links`: where the registrations' pages are, for each profile's registration mark. */
export function comparisonJson(view: ComparisonView, links: { workspaceId: string; origin: string }): z.output<typeof ComparisonJson> {
  return {
    outcome: view.outcome,
    outcomes: view.outcomes,
    measure: view.measure,
    measures: view.measures,
    method: view.method,
    knha: view.knha,
    prefer: view.prefer,
    exclude: view.exclude,
    profiles: view.profiles.map((p) => ({
      ...profileColumnJson(p),
      registration: profileRegistrationJson(p.registration, links.workspaceId, links.origin),
    })),
    rows: view.rows.map((r) => ({ ...rowHeaderJson(r), cells: r.cells.map((cell, i) => cellJson(view.profiles[i].id, cell)) })),
    inputs: view.inputs.map(inputJson),
    setAside: view.setAside.map((s) => ({ input: inputJson(s.input), usedInstead: s.usedInstead })),
  };
}

export function forestJson(forest: ForestAnalysis): z.output<typeof ComparisonCellJson>["forest"] {
  return {
    measure: forest.measure,
    method: forest.method,
    groups: forest.groups.map((g) => ({
      profileId: g.profileId,
      pooled: g.pooled ? pooledJson(g.pooled) : null,
      studies: g.studies.map((s) => ({
        inputId: s.input.id,
        studyId: s.input.studyId,
        studyTitle: s.input.studyTitle,
        source: s.input.source,
        excluded: s.excluded,
        estimate: s.estimate,
        ciLower: s.ciLower,
        ciUpper: s.ciUpper,
        yi: s.yi,
        vi: s.vi,
        n: s.n,
        weight: s.weight,
        reason: s.reason,
      })),
    })),
    overall: forest.overall ? pooledJson(forest.overall) : null,
    subgroupTest: forest.test,
  };
}

export function comparisonCellJson(cell: ComparisonCell): z.output<typeof ComparisonCellJson> {
  return {
    row: rowHeaderJson(cell.row),
    outcome: cell.view.outcome,
    measure: cell.view.measure,
    method: cell.view.method,
    knha: cell.view.knha,
    exclude: cell.view.exclude,
    profiles: cell.view.profiles.filter((p) => cell.profileIds.includes(p.id)).map(profileColumnJson),
    inputs: cell.inputs.map(inputJson),
    forest: forestJson(cell.forest),
  };
}

export const profileCountsJson = (counts: ProfileCountsView): z.output<typeof ProfileCountsJson> => ({
  profileId: counts.profileId,
  version: counts.version,
  items: counts.datasets,
});

export interface WithinTrialView {
  row: string;
  measure: EffectMeasure;
  method: ComparisonOptions["method"];
  knha: boolean;
  a: { id: string; name: string };
  b: { id: string; name: string };
  analysis: SubgroupDifferenceAnalysis;
}

export function withinTrialJson(view: WithinTrialView): z.output<typeof WithinTrialJson> {
  const { analysis } = view;
  return {
    row: view.row,
    measure: view.measure,
    method: view.method,
    knha: view.knha,
    a: view.a,
    b: view.b,
    ratio: analysis.ratio,
    trials: analysis.trials.map(({ interventionName, ...t }) => ({ ...t, intervention: interventionName })),
    unpaired: analysis.unpaired.map(({ interventionName, ...u }) => ({ ...u, intervention: interventionName })),
    pooled: analysis.pooled && pooledJson(analysis.pooled),
  };
}
