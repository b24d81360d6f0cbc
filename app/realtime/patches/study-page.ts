/**
 * A study page's data after an event about its study. The events carry what
 * the page shows: `study.updated` the study's fields, `dataset.imported` the
 * dataset's name, version and rows, `result.created` and `result.updated` the
 * result as the API answers it (the view the loader sends). Only a site
 * summary, whose tables the server builds, reloads the page's loader. Pure, so
 * each rule is tested without a browser.
 */
import type { PublicEvent } from "#app/domain/events.ts";

interface ShownResult {
  id: string;
  studyId: string;
  version: number;
}

interface ShownDataset {
  id: string;
  name: string;
  version: number;
  rowCount: number;
}

interface StudyPageData<R extends ShownResult> {
  study: { id: string; version: number };
  datasets: ShownDataset[];
  results: R[];
}

/** The result an event carries, when it carries one. */
function carriedResult(event: PublicEvent): ShownResult | null {
  if (event.type === "result.created") return event.payload.result ?? null;
  if (event.type === "result.updated") return event.payload.after;
  return null;
}

/**
 * True for an event the study page applies itself: a study edit, a dataset
 * imported, a result it carries, and a result's mapping to a profile (which the
 * page does not show).
 */
export function patchesStudyPage(event: PublicEvent): boolean {
  return (
    event.type === "study.updated" || event.type === "dataset.imported" || event.type === "result.mapped" || carriedResult(event) !== null
  );
}

export function patchStudyPage<R extends ShownResult, T extends StudyPageData<R>>(data: T, event: PublicEvent): T {
  switch (event.type) {
    case "study.updated": {
      if (event.target.id !== data.study.id || event.payload.version <= data.study.version) return data;
      // The event's fields are the study as the API writes it, which is what the page reads of it.
      return { ...data, study: { ...data.study, ...event.payload.after, version: event.payload.version } };
    }
    case "dataset.imported": {
      const { studyId, name, version, rowCount } = event.payload;
      if (studyId !== data.study.id) return data;
      const shown = data.datasets.find((d) => d.name === name);
      if (shown && shown.version >= version) return data;
      // One row per dataset name, its newest version, in name order (as the loader lists them).
      const datasets = [...data.datasets.filter((d) => d.name !== name), { id: event.target.id, name, version, rowCount }];
      return { ...data, datasets: datasets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
    }
    default: {
      const result = carriedResult(event) as R | null;
      if (!result || result.studyId !== data.study.id) return data;
      const index = data.results.findIndex((r) => r.id === result.id);
      if (index === -1) return { ...data, results: [...data.results, result] };
      if (data.results[index].version >= result.version) return data;
      const results = data.results.slice();
      results[index] = result;
      return { ...data, results };
    }
  }
}
