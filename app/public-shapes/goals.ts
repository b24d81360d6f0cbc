/** How the API writes goals, milestones and the dashboard. */
import type { z } from "zod";
import type { PublicEvent } from "#app/domain/events.ts";
import type { GoalStatus, MetricKind, MetricParams } from "#app/domain/goals.ts";
import type { DashboardJson, GoalJson, MilestoneJson } from "#app/schemas/goals.ts";
import type { Person } from "./accounts.ts";
import { eventJson } from "./workspaces.ts";

export interface MilestoneView {
  id: string;
  goalId: string;
  title: string;
  metric: MetricKind;
  metricLabel: string;
  computed: boolean;
  params: MetricParams;
  target: number | null;
  value: number | null;
  done: boolean;
  current: number;
  /** The target the bar measures against (a computed metric may supply its own). */
  effectiveTarget: number | null;
  progress: number;
  note: string | null;
  owner: Person | null;
  dueDate: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface GoalView {
  id: string;
  workspaceId: string;
  title: string;
  description: string;
  owner: Person | null;
  dueDate: string | null;
  status: GoalStatus;
  version: number;
  progress: number;
  overdue: boolean;
  dueSoon: boolean;
  milestones: MilestoneView[];
  createdAt: Date;
  updatedAt: Date;
}

/** The lead's dashboard: goals in the order that needs attention, the workspace's health and recent activity. */
export interface DashboardView {
  today: string;
  goals: GoalView[];
  health: z.output<typeof DashboardJson>["health"];
  recentActivity: PublicEvent[];
}

export const milestoneJson = (m: MilestoneView): z.output<typeof MilestoneJson> => ({
  id: m.id,
  goalId: m.goalId,
  title: m.title,
  metric: m.metric,
  metricLabel: m.metricLabel,
  computed: m.computed,
  params: m.params,
  target: m.target,
  value: m.value,
  done: m.done,
  current: m.current,
  effectiveTarget: m.effectiveTarget,
  progress: m.progress,
  note: m.note,
  owner: m.owner,
  dueDate: m.dueDate,
  version: m.version,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

export const goalJson = (g: GoalView): z.output<typeof GoalJson> => ({
  id: g.id,
  title: g.title,
  description: g.description,
  owner: g.owner,
  dueDate: g.dueDate,
  status: g.status,
  version: g.version,
  progress: g.progress,
  overdue: g.overdue,
  dueSoon: g.dueSoon,
  milestones: g.milestones.map(milestoneJson),
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});

export const dashboardJson = (d: DashboardView): z.output<typeof DashboardJson> => ({
  today: d.today,
  goals: d.goals.map(goalJson),
  health: d.health,
  recentActivity: d.recentActivity.map(eventJson),
});
