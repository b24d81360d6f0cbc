/**
 * A study's results after a result event. `result.created` and
 * `result.updated` carry the result exactly as the API answers it (the view the
 * study page's loader sends), so the page shows a colleague's new or edited
 * result without asking again. Pure, so each rule is tested without a browser.
 */
import type { PublicEvent } from "#app/domain/events.ts";

interface ShownResult {
  id: string;
  studyId: string;
  version: number;
}

/** The result an event carries, when it carries one. */
function carried(event: PublicEvent): ShownResult | null {
  if (event.type === "result.created") return event.payload.result ?? null;
  if (event.type === "result.updated") return event.payload.after;
  return null;
}

/** True for a result event the study page applies itself (it shows no profile mapping, so `result.mapped` is not its business). */
export function patchesStudyResults(event: PublicEvent): boolean {
  return event.type === "result.mapped" || carried(event) !== null;
}

export function patchStudyResults<R extends ShownResult, T extends { study: { id: string }; results: R[] }>(
  data: T,
  event: PublicEvent,
): T {
  const result = carried(event) as R | null;
  if (!result || result.studyId !== data.study.id) return data;
  const index = data.results.findIndex((r) => r.id === result.id);
  if (index === -1) return { ...data, results: [...data.results, result] };
  if (data.results[index].version >= result.version) return data;
  const results = data.results.slice();
  results[index] = result;
  return { ...data, results };
}
