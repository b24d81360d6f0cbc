/** How the API writes summary-level results (also the before/after of their events). */
import type { z } from "zod";
import type { ResultView } from "#app/domain/results.ts";
import type { ARM_CLASSES, OUTCOME_KINDS } from "#app/domain/studies.ts";
import type { ResultJson } from "#app/schemas/results.ts";
import { armJson } from "./studies.ts";

interface StudyArmRef {
  id: string;
  name: string;
  class: (typeof ARM_CLASSES)[number];
  dose: string;
}

/** A result as its study gives it: its arms' classes and its outcome's kind are the study's fixed values. */
export type ResultRecord = Omit<ResultView, "outcome" | "intervention" | "comparator"> & {
  outcome: { id: string; name: string; kind: (typeof OUTCOME_KINDS)[number] };
  intervention: StudyArmRef;
  comparator: StudyArmRef;
};

export const resultJson = (r: ResultRecord): z.output<typeof ResultJson> => ({
  id: r.id,
  studyId: r.studyId,
  studyTitle: r.studyTitle,
  outcome: { id: r.outcome.id, name: r.outcome.name, kind: r.outcome.kind },
  intervention: armJson(r.intervention),
  comparator: armJson(r.comparator),
  subgroup: r.subgroup,
  timepoint: r.timepoint,
  data: r.data,
  source: r.source,
  notes: r.notes,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
