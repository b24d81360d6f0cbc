/** Studies, their arms and outcome measures: input rules and the API's answers. */
import { z } from "zod";
import { ARM_CLASSES, OUTCOME_KINDS, STUDY_DESIGNS } from "#app/domain/studies.ts";
import { requestShape, responseShape } from "./components.ts";
import { StaleVersionBody } from "./errors.ts";
import { Count, Id, IsoTime } from "./json.ts";
import { Paged } from "./paging.ts";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional();

export const ArmInput = z.object({
  name: z.string({ error: "Name the arm's intervention." }).trim().min(1, "Name the arm's intervention.").max(200),
  class: z.enum(ARM_CLASSES, { error: `An arm's class is one of: ${ARM_CLASSES.join(", ")}.` }).default("other"),
  dose: z.string().trim().max(200).default(""),
});

export const OutcomeInput = z.object({
  name: z.string({ error: "Name the outcome measure." }).trim().min(1, "Name the outcome measure.").max(200),
  kind: z.enum(OUTCOME_KINDS, { error: "An outcome is continuous or binary." }).default("continuous"),
  timepoint: z.string().trim().max(100).default(""),
});

export const CreateStudyInput = requestShape(
  "CreateStudyInput",
  z.object({
    title: z.string({ error: "Give the study a title." }).trim().min(1, "Give the study a title.").max(300),
    design: z
      .enum(STUDY_DESIGNS, { error: `A design is one of: ${STUDY_DESIGNS.join(", ")}.` })
      .nullable()
      .optional(),
    registryId: optionalText(64),
    population: z.string().trim().max(2000).default(""),
    arms: z.array(ArmInput).max(20, "A study has at most 20 arms.").default([]),
    outcomes: z.array(OutcomeInput).max(50, "A study has at most 50 outcome measures.").default([]),
    protocolId: optionalText(64),
    panelId: optionalText(64),
  }),
);

/** An edit of a study: scalar fields, and arms/outcomes as the full new list (items with an id are kept and updated). */
export const UpdateStudyInput = requestShape(
  "UpdateStudyInput",
  z.object({
    baseVersion: z.number({ error: "Send the version you edited as baseVersion." }).int().min(1),
    title: CreateStudyInput.shape.title.optional(),
    design: CreateStudyInput.shape.design,
    registryId: CreateStudyInput.shape.registryId,
    population: z.string().trim().max(2000).optional(),
    protocolId: CreateStudyInput.shape.protocolId,
    panelId: CreateStudyInput.shape.panelId,
    arms: z
      .array(ArmInput.extend({ id: z.string().optional() }))
      .max(20)
      .optional(),
    outcomes: z
      .array(OutcomeInput.extend({ id: z.string().optional() }))
      .max(50)
      .optional(),
  }),
);

// Answers

const design = z.enum(STUDY_DESIGNS).nullable();

export const ArmJson = responseShape(
  "Arm",
  z
    .object({ id: Id, name: z.string(), class: z.enum(ARM_CLASSES), dose: z.string() })
    .describe("An arm: the intervention as the study names it."),
);

export const OutcomeJson = responseShape(
  "Outcome",
  z.object({ id: Id, name: z.string(), kind: z.enum(OUTCOME_KINDS), timepoint: z.string() }),
);

export const StudySummaryJson = responseShape(
  "StudySummary",
  z.object({ id: Id, title: z.string(), design, registryId: z.string().nullable(), version: Count, updatedAt: IsoTime }),
);

export const StudyListJson = responseShape("StudyList", Paged(StudySummaryJson).describe("The workspace's studies, by title."));

/** A dataset as its study lists it: the newest version of each. */
export const StudyDatasetJson = responseShape("StudyDataset", z.object({ id: Id, name: z.string(), version: Count, rowCount: Count }));

export const StudyJson = responseShape(
  "Study",
  z.object({
    id: Id,
    title: z.string(),
    design,
    registryId: z.string().nullable(),
    population: z.string(),
    protocolId: Id.nullable(),
    panelId: Id.nullable(),
    version: Count.describe("Send it back as baseVersion when editing."),
    arms: z.array(ArmJson),
    outcomes: z.array(OutcomeJson),
    datasets: z.array(StudyDatasetJson).describe("The newest version of each of the study's datasets."),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

/** What a 409 on a study edit carries as `current`: the study's editable fields as they now are. */
export const StudyFieldsJson = responseShape(
  "StudyFields",
  z.object({
    title: z.string(),
    design,
    registryId: z.string().nullable(),
    population: z.string(),
    protocolId: Id.nullable(),
    panelId: Id.nullable(),
    arms: z.array(ArmJson),
    outcomes: z.array(OutcomeJson),
  }),
);

export const StudyConflictJson = responseShape(
  "StudyConflict",
  StaleVersionBody(StudyFieldsJson).describe("A stale baseVersion: `details[0].current` has the study's fields as they now are."),
);
