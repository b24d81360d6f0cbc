/** Goals and their milestones (key results): input rules shared by forms and the API, and the API's answers. */
import { z } from "zod";
import { GOAL_STATUSES, isValidDay, METRIC_KINDS } from "#app/domain/goals.ts";
import { ROLES } from "#app/domain/roles.ts";
import { requestShape, responseShape } from "./components.ts";
import { StaleVersionBody } from "./errors.ts";
import { Count, Day, Id, IsoTime, NullableIsoTime, PersonJson } from "./json.ts";
import { Paged } from "./paging.ts";
import { EventJson } from "./workspaces.ts";

const title = (what: string) =>
  z
    .string({ error: `Give the ${what} a title.` })
    .trim()
    .min(1, `Give the ${what} a title.`)
    .max(300);

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

export const MilestoneInput = requestShape(
  "MilestoneInput",
  z
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
      if (m.metric === "manual_number" && !m.target)
        ctx.addIssue({ code: "custom", path: ["target"], message: "A number needs a target." });
      if (["results_count", "studies_count", "panels_count"].includes(m.metric) && !m.target) {
        ctx.addIssue({ code: "custom", path: ["target"], message: "A count needs a target." });
      }
      if (m.metric === "protocol_approved" && !m.params.protocolId) {
        ctx.addIssue({ code: "custom", path: ["params.protocolId"], message: "Choose the protocol that must be approved." });
      }
    }),
);

export const CreateGoalInput = requestShape(
  "CreateGoalInput",
  z.object({
    title: title("goal"),
    description: z.string().trim().max(5000).default(""),
    ownerId,
    dueDate,
    status: status.default("on_track"),
    milestones: z.array(MilestoneInput).max(30, "A goal has at most 30 milestones.").default([]),
  }),
);

export const UpdateGoalInput = requestShape(
  "UpdateGoalInput",
  z.object({
    baseVersion,
    title: title("goal").optional(),
    description: z.string().trim().max(5000).optional(),
    ownerId,
    dueDate,
    status: status.optional(),
  }),
);

export const UpdateMilestoneInput = requestShape(
  "UpdateMilestoneInput",
  z.object({
    baseVersion,
    title: title("milestone").optional(),
    params: MetricParams.optional(),
    target,
    value: value.optional(),
    done: z.boolean({ error: "done is true or false." }).optional(),
    ownerId,
    dueDate,
  }),
);

// Answers

const dueDay = Day.nullable().describe("A calendar day, YYYY-MM-DD; null for none.");

export const MilestoneJson = responseShape(
  "Milestone",
  z.object({
    id: Id,
    goalId: Id,
    title: z.string(),
    metric: z
      .enum(METRIC_KINDS)
      .describe("checkbox and manual_number are set by their owner; the others count the workspace's data on every read."),
    metricLabel: z.string(),
    computed: z.boolean(),
    params: z.object({ subgroup: z.string().optional(), protocolId: z.string().optional() }),
    target: z.number().nullable().describe("The target as set; null for checkboxes and for metrics with a natural total."),
    value: z.number().nullable().describe("The owner's number (manual_number)."),
    done: z.boolean().describe("Ticked (checkbox)."),
    current: z.number().describe("Where it stands now (booleans: 0 or 1)."),
    effectiveTarget: z.number().nullable().describe("What the progress is measured against."),
    progress: z.number().min(0).max(1),
    note: z.string().nullable().describe("Why a computed value may not be meaningful yet."),
    owner: PersonJson.nullable(),
    dueDate: dueDay,
    version: Count.describe("Send it back as baseVersion when updating."),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

export const GoalJson = responseShape(
  "Goal",
  z.object({
    id: Id,
    title: z.string(),
    description: z.string(),
    owner: PersonJson.nullable(),
    dueDate: dueDay,
    status: z.enum(GOAL_STATUSES),
    version: Count.describe("Send it back as baseVersion when editing."),
    progress: z.number().min(0).max(1).describe("The mean of the milestones' progress; 1 when done."),
    overdue: z.boolean(),
    dueSoon: z.boolean().describe("Due within a week."),
    milestones: z.array(MilestoneJson),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

export const GoalListJson = responseShape("GoalList", Paged(GoalJson).describe("The workspace's goals, by due date."));

export const DashboardJson = responseShape(
  "Dashboard",
  z.object({
    today: Day,
    goals: z.array(GoalJson).describe("Overdue first, then off track, at risk, on track, done."),
    health: z
      .object({
        studies: Count,
        studiesWithoutData: z.array(z.object({ id: Id, title: z.string() })),
        datasetsWithProblems: z
          .array(z.object({ id: Id, name: z.string(), studyId: Id, columns: z.array(z.string()) }))
          .describe("Datasets with biomarker columns that lack a biomarker or a unit (named in columns)."),
        profilesNoDatasetCanEvaluate: z.array(z.object({ id: Id, name: z.string() })),
        openCommentThreads: Count,
        activeMembers: z.array(
          z.object({ userId: Id, name: z.string(), role: z.enum(ROLES), changes: Count, lastActiveAt: NullableIsoTime }),
        ),
        activeWindowDays: Count,
      })
      .describe("Counts that need attention."),
    recentActivity: z.array(EventJson).describe("The newest events first."),
  }),
);

export const NotificationJson = responseShape(
  "Notification",
  z.object({
    id: Id,
    workspaceId: Id.nullable(),
    kind: z.string().meta({ examples: ["goal.due_soon", "goal.overdue"] }),
    target: z.object({ type: z.string(), id: Id }),
    title: z.string(),
    body: z.string(),
    createdAt: IsoTime,
    readAt: NullableIsoTime,
  }),
);

export const NotificationListJson = responseShape(
  "NotificationList",
  Paged(NotificationJson).extend({ unreadCount: Count }).describe("The caller's notifications, newest first, with the unread count."),
);

export const GoalConflictJson = responseShape(
  "GoalConflict",
  StaleVersionBody(GoalJson).describe("A stale baseVersion: `details[0].current` is the goal as it now is."),
);

export const MilestoneConflictJson = responseShape(
  "MilestoneConflict",
  StaleVersionBody(MilestoneJson).describe("A stale baseVersion: `details[0].current` is the milestone as it now is."),
);
