/** Shared goals with milestones (key results), the lead's dashboard, and the caller's notifications. */
import {
  CreateGoalInput,
  DashboardJson,
  GoalConflictJson,
  GoalJson,
  GoalListJson,
  MilestoneConflictJson,
  MilestoneInput,
  MilestoneJson,
  NotificationJson,
  NotificationListJson,
  UpdateGoalInput,
  UpdateMilestoneInput,
} from "#app/schemas/goals.ts";
import { EmailSettingsInput, EmailSettingsJson } from "#app/schemas/email.ts";
import { type ApiArea, attachment, json, media } from "#app/http/openapi/contract.ts";

export const goalsArea: ApiArea = {
  tags: [
    { name: "goals", description: "Shared goals with milestones and key results, some counted from the workspace's own data" },
    {
      name: "notifications",
      description: "The caller's in-app notifications (mentions, replies, due-date reminders) and how they are emailed",
    },
  ],
  pathParameters: { goalId: "The goal id.", milestoneId: "The milestone id.", notificationId: "The notification id." },
  paths: {
    "/api/v1/workspaces/{ws}/goals": {
      get: {
        operationId: "listGoals",
        summary: "The workspace's goals with their milestones, measured now",
        tag: "goals",
        responses: { 200: json("The goals.", GoalListJson) },
        errors: [404],
      },
      post: {
        operationId: "createGoal",
        summary: "Create a goal, optionally with milestones (lead)",
        description:
          "ownerId defaults to the caller. A computed key result needs a target unless it has a natural total (studies_with_results: all studies; datasets_harmonised: all datasets).",
        tag: "goals",
        body: CreateGoalInput,
        responses: { 201: json("The new goal.", GoalJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals/{goalId}": {
      get: {
        operationId: "getGoal",
        summary: "A goal with its milestones, measured now",
        tag: "goals",
        responses: { 200: json("The goal.", GoalJson) },
        errors: [404],
      },
      patch: {
        operationId: "updateGoal",
        summary: "Edit a goal (lead; the goal's owner may change its status)",
        description: "Send baseVersion. A stale baseVersion gets 409 with the current goal.",
        tag: "goals",
        body: UpdateGoalInput,
        responses: { 200: json("The goal after the edit.", GoalJson), 409: json("The goal changed since baseVersion.", GoalConflictJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals/{goalId}/milestones": {
      post: {
        operationId: "addMilestone",
        summary: "Add a milestone or key result to a goal (lead)",
        tag: "goals",
        body: MilestoneInput,
        responses: { 201: json("The new milestone.", MilestoneJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals/{goalId}/milestones/{milestoneId}": {
      patch: {
        operationId: "updateMilestone",
        summary: "Update a milestone (lead; its owner may tick it or set its number)",
        description:
          "Send baseVersion (the milestone's). A stale one gets 409 with the current milestone; `done` on a non-checkbox or `value` on a non-number gets 422.",
        tag: "goals",
        body: UpdateMilestoneInput,
        responses: {
          200: json("The milestone after the update.", MilestoneJson),
          409: json("The milestone changed since baseVersion.", MilestoneConflictJson),
        },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/goals.csv": {
      get: {
        operationId: "exportGoalsCsv",
        summary: "Goals and milestones as CSV",
        tag: "goals",
        responses: {
          200: media("One row per milestone (a goal without milestones has a row of its own).", "text/csv", {
            headers: attachment("goals-<ws>.csv"),
          }),
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/goals.ics": {
      get: {
        operationId: "exportGoalsIcs",
        summary: "Due dates of goals and milestones as an iCalendar file",
        tag: "goals",
        responses: {
          200: media("An RFC 5545 calendar of all-day events.", "text/calendar", { headers: attachment("goals-<ws>.ics") }),
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/dashboard": {
      get: {
        operationId: "getDashboard",
        summary: "The lead's dashboard: goals needing attention, workspace health, recent activity",
        tag: "goals",
        responses: { 200: json("The dashboard.", DashboardJson) },
        errors: [404],
      },
    },
    "/api/v1/me/notifications": {
      get: {
        operationId: "listNotifications",
        summary: "The caller's notifications, newest first",
        tag: "notifications",
        responses: { 200: json("The notifications with the unread count.", NotificationListJson) },
      },
    },
    "/api/v1/me/email": {
      get: {
        operationId: "getMyEmailSettings",
        summary: "How the caller gets email about notifications they have not read",
        tag: "notifications",
        responses: { 200: json("The caller's choice.", EmailSettingsJson) },
      },
      put: {
        operationId: "setMyEmailSettings",
        summary: "Choose how the caller gets email: immediately (batched per quarter hour), daily digest, or never",
        tag: "notifications",
        body: EmailSettingsInput,
        responses: { 200: json("The caller's choice as saved.", EmailSettingsJson) },
      },
    },
    "/api/v1/me/notifications/{notificationId}/read": {
      post: {
        operationId: "markNotificationRead",
        summary: "Mark one of the caller's notifications read",
        tag: "notifications",
        responses: { 200: json("The notification.", NotificationJson) },
        errors: [404],
      },
    },
  },
};
