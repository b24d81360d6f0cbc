/** Input rules for goals and their milestones (key results), shared by forms and the API. */
import { z } from "zod";
import { GOAL_STATUSES, isValidDay, METRIC_KINDS } from "#app/domain/goals.ts";

const title = (what: string) => z.string({ error: `Give the ${what} a title.` }).trim().min(1, `Give the ${what} a title.`).max(300);

/** A due day as YYYY-MM-DD, or null/"" for none. */
const dueDate = z
  .union([z.string().trim(), z.null()])
  .transform((v) => (v === "" ? null : v))
  .refine((v) => v === null || isValidDay(v), "A due date is a calendar day, YYYY-MM-DD.")
  .optional();

const ownerId = z
  .union([z.string().trim().max(64), z.null()])
  .transform((v) => (v === "" ? null : v))
  .optional();

const status = z.enum(GOAL_STATUSES, { error: `A status is one of: ${GOAL_STATUSES.join(", ")}.` });
const baseVersion = z.number({ error: "Send the version you edited as baseVersion." }).int().min(1);
const target = z
  .number({ error: "The target must be a number." })
  .refine(Number.isFinite, "The target must be a finite number.")
  .positive("The target must be greater than 0.")
  .nullable()
  .optional();
const value = z.number({ error: "The value must be a number." }).refine(Number.isFinite, "The value must be a finite number.");

const MetricParams = z.object({
  subgroup: z.string().trim().max(200).optional(),
  protocolId: z.string().trim().max(64).optional(),
});
export const MetricParamsInput = MetricParams.default({});

export const MilestoneInput = z
  .object({
    title: title("milestone"),
    metric: z.enum(METRIC_KINDS, { error: `A key result's kind is one of: ${METRIC_KINDS.join(", ")}.` }).default("checkbox"),
    params: MetricParamsInput,
    target,
    value: value.nullable().optional(),
    done: z.boolean().optional(),
    ownerId,
    dueDate,
  })
  .superRefine((m, ctx) => {
    if (m.metric === "manual_number" && !m.target) ctx.addIssue({ code: "custom", path: ["target"], message: "A number needs a target." });
    if (["results_count", "studies_count", "panels_count"].includes(m.metric) && !m.target) {
      ctx.addIssue({ code: "custom", path: ["target"], message: "A count needs a target." });
    }
    if (m.metric === "protocol_approved" && !m.params.protocolId) {
      ctx.addIssue({ code: "custom", path: ["params.protocolId"], message: "Choose the protocol that must be approved." });
    }
  });

export const CreateGoalInput = z.object({
  title: title("goal"),
  description: z.string().trim().max(5000).default(""),
  ownerId,
  dueDate,
  status: status.default("on_track"),
  milestones: z.array(MilestoneInput).max(30, "A goal has at most 30 milestones.").default([]),
});

export const UpdateGoalInput = z.object({
  baseVersion,
  title: title("goal").optional(),
  description: z.string().trim().max(5000).optional(),
  ownerId,
  dueDate,
  status: status.optional(),
});

export const UpdateMilestoneInput = z.object({
  baseVersion,
  title: title("milestone").optional(),
  params: MetricParams.optional(),
  target,
  value: value.optional(),
  done: z.boolean({ error: "done is true or false." }).optional(),
  ownerId,
  dueDate,
});
