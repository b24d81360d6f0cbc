/** Shared goals with milestones (key results), the lead's dashboard, and the caller's notifications. */
import { GOAL_STATUSES, METRIC_KINDS } from "#app/domain/goals.ts";
import { CreateGoalInput, MilestoneInput, UpdateGoalInput, UpdateMilestoneInput } from "#app/schemas/goals.ts";
import { type ApiSection, dateTime, id, listOf, ref, requestSchema } from "#app/http/openapi/builder.ts";

const day = { type: ["string", "null"], format: "date", description: "A calendar day, YYYY-MM-DD; null for none." };
const person = { type: ["object", "null"], properties: { id: id(), name: { type: "string" } } };
const nullableNumber = { type: ["number", "null"] };

export const goalsSection: ApiSection = {
  tags: [
    { name: "goals", description: "Shared goals with milestones and key results, some counted from the workspace's own data" },
    { name: "notifications", description: "The caller's in-app notifications (due-date reminders)" },
  ],
  pathParameters: { goalId: "The goal id.", milestoneId: "The milestone id.", notificationId: "The notification id." },
  requestBodies: () => ({
    CreateGoalInput: requestSchema(CreateGoalInput),
    UpdateGoalInput: requestSchema(UpdateGoalInput),
    MilestoneInput: requestSchema(MilestoneInput),
    UpdateMilestoneInput: requestSchema(UpdateMilestoneInput),
  }),
  responseSchemas: () => ({
    Milestone: {
      type: "object",
      required: ["id", "goalId", "title", "metric", "current", "effectiveTarget", "progress", "version"],
      properties: {
        id: id(),
        goalId: id(),
        title: { type: "string" },
        metric: { type: "string", enum: [...METRIC_KINDS], description: "checkbox and manual_number are set by their owner; the others count the workspace's data on every read." },
        metricLabel: { type: "string" },
        computed: { type: "boolean" },
        params: { type: "object", properties: { subgroup: { type: "string" }, protocolId: { type: "string" } } },
        target: { ...nullableNumber, description: "The target as set; null for checkboxes and for metrics with a natural total." },
        value: { ...nullableNumber, description: "The owner's number (manual_number)." },
        done: { type: "boolean", description: "Ticked (checkbox)." },
        current: { type: "number", description: "Where it stands now (booleans: 0 or 1)." },
        effectiveTarget: { ...nullableNumber, description: "What the progress is measured against." },
        progress: { type: "number", minimum: 0, maximum: 1 },
        note: { type: ["string", "null"], description: "Why a computed value may not be meaningful yet." },
        owner: person,
        dueDate: day,
        version: { type: "integer", description: "Send it back as baseVersion when updating." },
        createdAt: dateTime(),
        updatedAt: dateTime(),
      },
    },
    Goal: {
      type: "object",
      required: ["id", "title", "status", "version", "progress", "overdue", "milestones"],
      properties: {
        id: id(),
        title: { type: "string" },
        description: { type: "string" },
        owner: person,
        dueDate: day,
        status: { type: "string", enum: [...GOAL_STATUSES] },
        version: { type: "integer", description: "Send it back as baseVersion when editing." },
        progress: { type: "number", minimum: 0, maximum: 1, description: "The mean of the milestones' progress; 1 when done." },
        overdue: { type: "boolean" },
        dueSoon: { type: "boolean", description: "Due within a week." },
        milestones: { type: "array", items: ref("Milestone") },
        createdAt: dateTime(),
        updatedAt: dateTime(),
      },
    },
    GoalList: listOf("Goal", "The workspace's goals, by due date."),
    Dashboard: {
      type: "object",
      required: ["today", "goals", "health", "recentActivity"],
      properties: {
        today: { type: "string", format: "date" },
        goals: { type: "array", items: ref("Goal"), description: "Overdue first, then off track, at risk, on track, done." },
        health: {
          type: "object",
          description:
            "Counts that need attention. An item is null while the area it reads (datasets, profiles, comments) is not available.",
          properties: {
            studies: { type: "integer" },
            studiesWithoutData: { type: "array", items: { type: "object", properties: { id: id(), title: { type: "string" } } } },
            datasetsWithProblems: { type: ["array", "null"], items: { type: "object" } },
            profilesNoDatasetCanEvaluate: { type: ["array", "null"], items: { type: "object" } },
            openCommentThreads: { type: ["integer", "null"] },
            activeMembers: { type: "array", items: { type: "object" } },
            activeWindowDays: { type: "integer" },
          },
        },
        recentActivity: { type: "array", items: ref("Event") },
      },
    },
    Notification: {
      type: "object",
      required: ["id", "kind", "target", "title", "createdAt", "readAt"],
      properties: {
        id: id(),
        workspaceId: { type: ["string", "null"] },
        kind: { type: "string", examples: ["goal.due_soon", "goal.overdue"] },
        target: { type: "object", properties: { type: { type: "string" }, id: id() } },
        title: { type: "string" },
        body: { type: "string" },
        createdAt: dateTime(),
        readAt: { type: ["string", "null"], format: "date-time" },
      },
    },
    NotificationList: {
      type: "object",
      required: ["items", "nextCursor", "unreadCount"],
      properties: {
        items: { type: "array", items: ref("Notification") },
        nextCursor: { type: ["string", "null"] },
        unreadCount: { type: "integer" },
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/goals": {
      get: {
        operationId: "listGoals",
        summary: "The workspace's goals with their milestones, measured now",
        tag: "goals",
        success: { status: 200, description: "The goals.", schema: "GoalList" },
        errors: [404],
      },
      post: {
        operationId: "createGoal",
        summary: "Create a goal, optionally with milestones (lead)",
        description: "ownerId defaults to the caller. A computed key result needs a target unless it has a natural total (studies_with_results: all studies; datasets_harmonised: all datasets).",
        tag: "goals",
        body: "CreateGoalInput",
        success: { status: 201, description: "The new goal.", schema: "Goal" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals/{goalId}": {
      get: {
        operationId: "getGoal",
        summary: "A goal with its milestones, measured now",
        tag: "goals",
        success: { status: 200, description: "The goal.", schema: "Goal" },
        errors: [404],
      },
      patch: {
        operationId: "updateGoal",
        summary: "Edit a goal (lead; the goal's owner may change its status)",
        description: "Send baseVersion. A stale baseVersion gets 409 with the current goal.",
        tag: "goals",
        body: "UpdateGoalInput",
        success: { status: 200, description: "The goal after the edit.", schema: "Goal" },
        errors: [404, 409],
      },
    },
    "/api/v1/workspaces/{ws}/goals/{goalId}/milestones": {
      post: {
        operationId: "addMilestone",
        summary: "Add a milestone or key result to a goal (lead)",
        tag: "goals",
        body: "MilestoneInput",
        success: { status: 201, description: "The new milestone.", schema: "Milestone" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals/{goalId}/milestones/{milestoneId}": {
      patch: {
        operationId: "updateMilestone",
        summary: "Update a milestone (lead; its owner may tick it or set its number)",
        description: "Send baseVersion (the milestone's). A stale one gets 409 with the current milestone; `done` on a non-checkbox or `value` on a non-number gets 422.",
        tag: "goals",
        body: "UpdateMilestoneInput",
        success: { status: 200, description: "The milestone after the update.", schema: "Milestone" },
        errors: [404, 409, 422],
      },
    },
    "/api/v1/workspaces/{ws}/goals.csv": {
      get: {
        operationId: "exportGoalsCsv",
        summary: "Goals and milestones as CSV",
        tag: "goals",
        success: {
          status: 200,
          description: "One row per milestone (a goal without milestones has a row of its own).",
          content: { "text/csv": { schema: { type: "string" } } },
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals.ics": {
      get: {
        operationId: "exportGoalsIcs",
        summary: "Due dates of goals and milestones as an iCalendar file",
        tag: "goals",
        success: {
          status: 200,
          description: "An RFC 5545 calendar of all-day events.",
          content: { "text/calendar": { schema: { type: "string" } } },
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/dashboard": {
      get: {
        operationId: "getDashboard",
        summary: "The lead's dashboard: goals needing attention, workspace health, recent activity",
        tag: "goals",
        success: { status: 200, description: "The dashboard.", schema: "Dashboard" },
        errors: [404],
      },
    },
    "/api/v1/me/notifications": {
      get: {
        operationId: "listNotifications",
        summary: "The caller's notifications, newest first",
        tag: "notifications",
        success: { status: 200, description: "The notifications with the unread count.", schema: "NotificationList" },
      },
    },
    "/api/v1/me/notifications/{notificationId}/read": {
      post: {
        operationId: "markNotificationRead",
        summary: "Mark one of the caller's notifications read",
        tag: "notifications",
        success: { status: 200, description: "The notification.", schema: "Notification" },
        errors: [404],
      },
    },
  },
};
