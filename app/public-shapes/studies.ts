/** How the API writes studies with their arms, outcome measures and datasets. */
import type { z } from "zod";
import type { Dataset, Study, StudyArm, StudyOutcome } from "#db/schema.ts";
import type { ArmJson, OutcomeJson, StudyFieldsJson, StudyJson, StudySummaryJson } from "#app/schemas/studies.ts";

export interface StudyView extends Study {
  arms: StudyArm[];
  outcomes: StudyOutcome[];
}

/** The newest version of one of a study's datasets, as the study lists it. */
export type StudyDataset = Pick<Dataset, "id" | "name" | "version" | "rowCount">;

export const armJson = (a: Pick<StudyArm, "id" | "name" | "class" | "dose">): z.output<typeof ArmJson> => ({
  id: a.id,
  name: a.name,
  class: a.class,
  dose: a.dose,
});

export const outcomeJson = (o: StudyOutcome): z.output<typeof OutcomeJson> => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  timepoint: o.timepoint,
});

/** A study is always written with its datasets (docs/api.md), a new one's being empty. */
export const studyJson = (s: StudyView, datasets: StudyDataset[]): z.output<typeof StudyJson> => ({
  id: s.id,
  title: s.title,
  design: s.design,
  registryId: s.registryId,
  population: s.population,
  protocolId: s.protocolId,
  panelId: s.panelId,
  version: s.version,
  arms: s.arms.map(armJson),
  outcomes: s.outcomes.map(outcomeJson),
  datasets: datasets.map((d) => ({ id: d.id, name: d.name, version: d.version, rowCount: d.rowCount })),
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export const studySummaryJson = (s: Study): z.output<typeof StudySummaryJson> => ({
  id: s.id,
  title: s.title,
  design: s.design,
  registryId: s.registryId,
  version: s.version,
  updatedAt: s.updatedAt.toISOString(),
});

/** The editable fields as they now are: what a 409 on a stale study edit carries. */
export const studyFieldsJson = (s: StudyView): z.output<typeof StudyFieldsJson> => ({
  title: s.title,
  design: s.design,
  registryId: s.registryId,
  population: s.population,
  protocolId: s.protocolId,
  panelId: s.panelId,
  arms: s.arms.map(armJson),
  outcomes: s.outcomes.map(outcomeJson),
});
