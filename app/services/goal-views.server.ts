/**
 * Reading goals: a goal with its milestones, each measured now (computed key
 * results count the workspace's data on every read), with progress and dates.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { goalMilestones, goals, users, type Goal, type GoalMilestone } from "#db/schema.ts";
import { goalProgress, isComputedMetric, isDueSoon, isOverdue, progressOf } from "#app/domain/goals.ts";
import type { Person } from "#app/public-shapes/accounts.ts";
import type { GoalView, MilestoneView } from "#app/public-shapes/goals.ts";
import { notFound } from "./errors.server.ts";
import { METRICS, type Db } from "./goal-metrics.server.ts";

export type { GoalView, MilestoneView };

async function namesOf(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  return new Map(
    (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted))).map((u) => [u.id, u.name]),
  );
}

const person = (names: Map<string, string>, id: string | null): Person | null => (id ? { id, name: names.get(id) ?? "Unknown" } : null);

export async function measureMilestone(db: Db, row: GoalMilestone, names: Map<string, string>): Promise<MilestoneView> {
  const m = await METRICS[row.metric].compute(db, row.workspaceId, row.params, { target: row.target, value: row.value, done: row.done });
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

async function viewsOf(db: Db, rows: Goal[], today: string): Promise<GoalView[]> {
  if (rows.length === 0) return [];
  const milestoneRows = await db
    .select()
    .from(goalMilestones)
    .where(
      inArray(
        goalMilestones.goalId,
        rows.map((g) => g.id),
      ),
    )
    .orderBy(asc(goalMilestones.position));
  const names = await namesOf(db, [...rows.map((g) => g.ownerId), ...milestoneRows.map((m) => m.ownerId)]);
  const measured = new Map<string, MilestoneView>();
  for (const m of milestoneRows) measured.set(m.id, await measureMilestone(db, m, names));
  return rows.map((g) => {
    const milestones = milestoneRows.filter((m) => m.goalId === g.id).map((m) => measured.get(m.id)!);
    return {
      id: g.id,
      workspaceId: g.workspaceId,
      title: g.title,
      description: g.description,
      owner: person(names, g.ownerId),
      dueDate: g.dueDate,
      status: g.status,
      version: g.version,
      progress: goalProgress(
        g.status,
        milestones.map((m) => m.progress),
      ),
      overdue: isOverdue(g, today),
      dueSoon: isDueSoon(g, today),
      milestones,
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
    };
  });
}

export async function loadGoalRow(db: Db, workspaceId: string, goalId: string): Promise<Goal> {
  const row = (await db.select().from(goals).where(eq(goals.id, goalId)))[0];
  if (!row || row.workspaceId !== workspaceId) throw notFound("No goal with this id in this workspace.");
  return row;
}

export async function loadGoalView(db: Db, workspaceId: string, goalId: string, today: string): Promise<GoalView> {
  return (await viewsOf(db, [await loadGoalRow(db, workspaceId, goalId)], today))[0];
}

export async function loadGoalViews(db: Db, workspaceId: string, today: string): Promise<GoalView[]> {
  const rows = await db.select().from(goals).where(eq(goals.workspaceId, workspaceId)).orderBy(asc(goals.dueDate), asc(goals.title));
  return await viewsOf(db, rows, today);
}
