/** Summary-level results: input rules and the API's answers. */
import { z } from "zod";
import { ESTIMATE_MEASURES } from "#app/domain/results.ts";
import { OUTCOME_KINDS } from "#app/domain/studies.ts";
import { requestShape, responseShape } from "./components.ts";
import { StaleVersionBody } from "./errors.ts";
import { Count, Id, IsoTime } from "./json.ts";
import { Paged } from "./paging.ts";
import { ArmJson } from "./studies.ts";

const finite = (what: string) =>
  z.number({ error: `${what} must be a number.` }).refine(Number.isFinite, `${what} must be a finite number.`);
const count = (what: string) =>
  z
    .number({ error: `${what} must be a whole number.` })
    .int(`${what} must be a whole number.`)
    .min(0, `${what} cannot be negative.`);

const armSummary = z.object({
  mean: finite("The mean"),
  sd: finite("The SD").refine((v) => v > 0, "The SD must be greater than 0."),
  n: count("N").min(2, "N must be at least 2 for a mean and SD."),
});

const armEvents = z
  .object({ events: count("Events"), n: count("N").min(1, "N must be at least 1.") })
  .refine((a) => a.events <= a.n, { message: "Events cannot exceed N.", path: ["events"] });

export const ResultData = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("continuous"), intervention: armSummary, comparator: armSummary }),
    z.object({ type: z.literal("binary"), intervention: armEvents, comparator: armEvents }),
    z
      .object({
        type: z.literal("estimate"),
        measure: z.enum(ESTIMATE_MEASURES, { error: `The measure is one of ${ESTIMATE_MEASURES.join(", ")}.` }),
        estimate: finite("The estimate"),
        ciLower: finite("The lower CI bound"),
        ciUpper: finite("The upper CI bound"),
        interventionN: count("N").optional(),
        comparatorN: count("N").optional(),
      })
      .refine((e) => e.ciLower <= e.estimate && e.estimate <= e.ciUpper, {
        message: "The estimate must lie within its confidence interval.",
        path: ["estimate"],
      })
      .refine((e) => (e.measure === "OR" || e.measure === "RR" ? e.ciLower > 0 : true), {
        message: "Odds and risk ratios are positive: give them as ratios, not logs.",
        path: ["ciLower"],
      }),
  ],
  { error: "data.type is continuous, binary or estimate." },
);

const text = (max: number) => z.string().trim().max(max).default("");

export const CreateResultInput = requestShape(
  "CreateResultInput",
  z
    .object({
      studyId: z.string({ error: "Choose the study." }).min(1, "Choose the study."),
      outcomeId: z.string({ error: "Choose the outcome." }).min(1, "Choose the outcome."),
      interventionArmId: z.string({ error: "Choose the intervention arm." }).min(1, "Choose the intervention arm."),
      comparatorArmId: z.string({ error: "Choose the comparator arm." }).min(1, "Choose the comparator arm."),
      subgroup: text(200),
      timepoint: text(100),
      data: ResultData,
      source: text(500),
      notes: text(2000),
    })
    .refine((r) => r.interventionArmId !== r.comparatorArmId, {
      message: "The comparator must be a different arm.",
      path: ["comparatorArmId"],
    }),
);

export const UpdateResultInput = requestShape(
  "UpdateResultInput",
  z.object({
    baseVersion: z.number({ error: "Send the version you edited as baseVersion." }).int().min(1),
    subgroup: z.string().trim().max(200).optional(),
    timepoint: z.string().trim().max(100).optional(),
    data: ResultData.optional(),
    source: z.string().trim().max(500).optional(),
    notes: z.string().trim().max(2000).optional(),
  }),
);

export const ResultsQuery = z.object({
  studyId: z.string().optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// Answers

export const ResultJson = responseShape(
  "Result",
  z.object({
    id: Id,
    studyId: Id,
    studyTitle: z.string(),
    outcome: z.object({ id: Id, name: z.string(), kind: z.enum(OUTCOME_KINDS) }),
    intervention: ArmJson,
    comparator: ArmJson,
    subgroup: z.string().describe("The subgroup as the study defined it; empty for the whole sample."),
    timepoint: z.string(),
    data: ResultData.describe(
      "continuous: {intervention:{mean,sd,n}, comparator:{mean,sd,n}}; binary: {intervention:{events,n}, comparator:{events,n}}; estimate: {measure, estimate, ciLower, ciUpper} (ratios as ratios).",
    ),
    source: z.string(),
    notes: z.string(),
    version: Count,
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

export const ResultListJson = responseShape("ResultList", Paged(ResultJson).describe("Results in the order they were added."));

export const ResultConflictJson = responseShape(
  "ResultConflict",
  StaleVersionBody(ResultJson).describe("A stale baseVersion: `details[0].current` is the result as it now is."),
);
