/**
 * Shared goals of a workspace and their milestones (key results). A key
 * result is a checkbox, a number its owner updates, or a number computed from
 * the workspace's own data on every read (never stored, so never stale).
 */
import { GOAL_STATUSES, METRIC_KINDS, type MetricParams } from "../../app/domain/goals.ts";
import { users } from "./accounts.ts";
import { boolean, createdAt, index, integer, json, real, table, text, timestamp } from "./columns.ts";
import { workspaces } from "./workspaces.ts";

export const goals = table(
  "goals",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    ownerId: text("owner_id").references(() => users.id),
    /** A calendar day, YYYY-MM-DD: a goal is due on a day, not at an instant. */
    dueDate: text("due_date"),
    status: text("status", { enum: GOAL_STATUSES }).notNull().default("on_track"),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("goals_workspace_idx").on(t.workspaceId), index("goals_due_idx").on(t.status, t.dueDate)],
);

export const goalMilestones = table(
  "goal_milestones",
  {
    id: text("id").primaryKey(),
    goalId: text("goal_id")
      .notNull()
      .references(() => goals.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    /** How the milestone counts: a checkbox, a manual number, or one of the computed metrics. */
    metric: text("metric", { enum: METRIC_KINDS }).notNull(),
    /** The computed metric's parameters (a subgroup text, a protocol id). */
    params: json("params").$type<MetricParams>().notNull().default({}),
    /** The number to reach; null for checkboxes, and for metrics with a natural total (all studies, all datasets). */
    target: real("target"),
    /** The owner's number, for manual_number. */
    value: real("value"),
    /** Ticked, for checkbox. */
    done: boolean("done").notNull().default(false),
    ownerId: text("owner_id").references(() => users.id),
    dueDate: text("due_date"),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("goal_milestones_goal_idx").on(t.goalId, t.position)],
);

export type Goal = typeof goals.$inferSelect;
export type GoalMilestone = typeof goalMilestones.$inferSelect;
