/**
 * Reading goals: a goal with its milestones, each measured now (computed key
 * results count the workspace's data on every read), with progress and dates.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { goalMilestones, goals, users, type Goal, type GoalMilestone } from "#db/schema.ts";
import {
  goalProgress,
  isComputedMetric,
  isDueSoon,
  isOverdue,
  progressOf,
  type GoalStatus,
  type MetricKind,
  type MetricParams,
} from "#app/domain/goals.ts";
import { notFound } from "./errors.server.ts";
import { METRICS, type Db } from "./goal-metrics.server.ts";

export interface PersonRef {
  id: string;
  name: string;
}

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
  owner: PersonRef | null;
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
  owner: PersonRef | null;
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

function namesOf(db: Db, ids: (string | null)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  return new Map(db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted)).all().map((u) => [u.id, u.name]));
}

const person = (names: Map<string, string>, id: string | null): PersonRef | null => (id ? { id, name: names.get(id) ?? "Unknown" } : null);

export function measureMilestone(db: Db, row: GoalMilestone, names: Map<string, string>): MilestoneView {
  const m = METRICS[row.metric].compute(db, row.workspaceId, row.params, { target: row.target, value: row.value, done: row.done });
  return {
    id: row.id,
    goalId: row.goalId,
    title: row.title,
    metric: row.metric,
    metricLabel: METRICS[row.metric].label,
    computed: isComputedMetric(row.metric),
    params: row.params,
    target: row.target,
    value: row.value,
    done: row.done,
    current: m.current,
    effectiveTarget: m.target,
    progress: progressOf(m),
    note: m.note ?? null,
    owner: person(names, row.ownerId),
    dueDate: row.dueDate,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function viewsOf(db: Db, rows: Goal[], today: string): GoalView[] {
  if (rows.length === 0) return [];
  const milestoneRows = db
    .select()
    .from(goalMilestones)
    .where(inArray(goalMilestones.goalId, rows.map((g) => g.id)))
    .orderBy(asc(goalMilestones.position))
    .all();
  const names = namesOf(db, [...rows.map((g) => g.ownerId), ...milestoneRows.map((m) => m.ownerId)]);
  return rows.map((g) => {
    const milestones = milestoneRows.filter((m) => m.goalId === g.id).map((m) => measureMilestone(db, m, names));
    return {
      id: g.id,
      workspaceId: g.workspaceId,
      title: g.title,
      description: g.description,
      owner: person(names, g.ownerId),
      dueDate: g.dueDate,
      status: g.status,
      version: g.version,
      progress: goalProgress(g.status, milestones.map((m) => m.progress)),
      overdue: isOverdue(g, today),
      dueSoon: isDueSoon(g, today),
      milestones,
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
    };
  });
}

export function loadGoalRow(db: Db, workspaceId: string, goalId: string): Goal {
  const row = db.select().from(goals).where(eq(goals.id, goalId)).get();
  if (!row || row.workspaceId !== workspaceId) throw notFound("No goal with this id in this workspace.");
  return row;
}

export function loadGoalView(db: Db, workspaceId: string, goalId: string, today: string): GoalView {
  return viewsOf(db, [loadGoalRow(db, workspaceId, goalId)], today)[0];
}

export function loadGoalViews(db: Db, workspaceId: string, today: string): GoalView[] {
  const rows = db.select().from(goals).where(eq(goals.workspaceId, workspaceId)).orderBy(asc(goals.dueDate), asc(goals.title)).all();
  return viewsOf(db, rows, today);
}

/** The API's shape of a milestone (also the before/after of its events). */
export function milestoneJson(m: MilestoneView) {
  return {
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
  };
}

export function goalJson(g: GoalView) {
  return {
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
  };
}
