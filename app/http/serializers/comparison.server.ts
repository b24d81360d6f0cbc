/** The API's shapes for profiles' counts and the comparison (numbers unrounded: the page rounds the same values). */
import type { CellSummary, ComparisonInput, ForestAnalysis, PooledSummary } from "#app/domain/comparison.ts";
import type { ProfileCountsView } from "#app/domain/profile-summaries.ts";
import type { ComparisonCell, ComparisonView } from "#app/services/comparison.server.ts";

/** A statistic that is not finite (a zero-width Knapp–Hartung interval) is written as null, as the calculator does. */
const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export const pooledJson = (p: PooledSummary) => ({
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

const cellJson = (profileId: string, cell: CellSummary | null) =>
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

export const inputJson = (i: ComparisonInput) => ({
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
  outcomeDefinition: i.outcomeDefinition ?? null,
  conversions: i.conversions ?? [],
  resultId: i.resultId ?? null,
  resultVersion: i.resultVersion ?? null,
  subgroup: i.subgroup ?? null,
  cutoffDifferences: i.cutoffDifferences ?? [],
  data: i.data,
});

export function comparisonJson(view: ComparisonView) {
  return {
    outcome: view.outcome,
    outcomes: view.outcomes,
    measure: view.measure,
    measures: view.measures,
    method: view.method,
    knha: view.knha,
    prefer: view.prefer,
    exclude: view.exclude,
    profiles: view.profiles,
    rows: view.rows.map((r) => ({
      key: r.key,
      kind: r.kind,
      class: r.className,
      name: r.name,
      dose: r.dose,
      cells: r.cells.map((cell, i) => cellJson(view.profiles[i].id, cell)),
    })),
    inputs: view.inputs.map(inputJson),
    setAside: view.setAside.map((s) => ({ input: inputJson(s.input), usedInstead: s.usedInstead })),
  };
}

export function forestJson(forest: ForestAnalysis) {
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

export function comparisonCellJson(cell: ComparisonCell) {
  return {
    row: { key: cell.row.key, kind: cell.row.kind, class: cell.row.className, name: cell.row.name, dose: cell.row.dose },
    outcome: cell.view.outcome,
    measure: cell.view.measure,
    method: cell.view.method,
    knha: cell.view.knha,
    exclude: cell.view.exclude,
    profiles: cell.view.profiles.filter((p) => cell.profileIds.includes(p.id)),
    inputs: cell.inputs.map(inputJson),
    forest: forestJson(cell.forest),
  };
}

export const profileCountsJson = (counts: ProfileCountsView) => ({
  profileId: counts.profileId,
  version: counts.version,
  items: counts.datasets,
});
