/**
 * The lead's dashboard: goals in the order that needs attention, the
 * workspace's health, and recent activity. All computed on read.
 */
import { and, count, eq, gte, isNull, max, sql } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { comments, events, memberships, profiles, results, studies, users } from "#db/schema.ts";
import { criteriaLeaves } from "#app/domain/profiles.ts";
import { sortForDashboard, utcDay } from "#app/domain/goals.ts";
import { problemColumns } from "#app/domain/goal-health.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { DashboardView } from "#app/public-shapes/goals.ts";
import { listRecentEvents } from "./audit.server.ts";
import { latestDatasets, type Db } from "./goal-metrics.server.ts";
import { loadGoalViews } from "./goal-views.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";

const ACTIVE_WINDOW_DAYS = 14;

async function studiesWithoutData(db: Db, workspaceId: string) {
  // A dataset still being imported is not data yet.
  const withData = sql`not exists (select 1 from ${results} r where r.study_id = ${studies.id}) and not exists (select 1 from datasets d where d.study_id = ${studies.id} and d.status = 'ready')`;
  return await db
    .select({ id: studies.id, title: studies.title })
    .from(studies)
    .where(and(eq(studies.workspaceId, workspaceId), withData))
    .orderBy(studies.title);
}

type CurrentDatasets = Awaited<ReturnType<typeof latestDatasets>>;

function datasetsWithProblems(current: CurrentDatasets) {
  return current
    .map((d) => ({ id: d.id, name: d.name, studyId: d.studyId, columns: problemColumns(d.columns) }))
    .filter((d) => d.columns.length > 0);
}

/** Profiles whose biomarkers no single dataset carries, so no participant-level data can be split by them. */
async function profilesNoDatasetCanEvaluate(db: Db, workspaceId: string, current: CurrentDatasets) {
  const carried = current.map((d) => new Set(d.columns.filter((c) => c.role === "biomarker" && c.biomarker).map((c) => c.biomarker!)));
  return (
    await db
      .select({ id: profiles.id, name: profiles.name, criteria: profiles.criteria })
      .from(profiles)
      .where(eq(profiles.workspaceId, workspaceId))
      .orderBy(profiles.name)
  )
    .map((p) => ({
      id: p.id,
      name: p.name,
      markers: criteriaLeaves(p.criteria).flatMap((c) => (c.kind === "biomarker" ? [c.code] : [])),
    }))
    .filter((p) => !carried.some((set) => p.markers.every((m) => set.has(m))))
    .map(({ id, name }) => ({ id, name }));
}

/** Threads whose first comment is neither resolved nor deleted. */
async function openCommentThreads(db: Db, workspaceId: string): Promise<number> {
  return (
    await db
      .select({ n: count() })
      .from(comments)
      .where(and(eq(comments.workspaceId, workspaceId), isNull(comments.parentId), isNull(comments.resolvedAt), isNull(comments.deletedAt)))
  )[0]!.n;
}

async function activeMembers(db: Db, workspaceId: string, now: Date) {
  const since = new Date(now.getTime() - ACTIVE_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const activity = await db
    .select({ userId: events.actorId, changes: count(), lastActiveAt: max(events.createdAt) })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), gte(events.createdAt, since)))
    .groupBy(events.actorId);
  const byUser = new Map(activity.map((a) => [a.userId, a]));
  return (
    await db
      .select({ userId: memberships.userId, name: users.name, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, workspaceId))
  )
    .map((m) => {
      const a = byUser.get(m.userId);
      return { ...m, changes: a?.changes ?? 0, lastActiveAt: a?.lastActiveAt ? new Date(a.lastActiveAt).toISOString() : null };
    })
    .sort((a, b) => b.changes - a.changes || a.name.localeCompare(b.name));
}

export async function getDashboard(actor: PublicUser, workspaceId: string, now = new Date()): Promise<DashboardView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const today = utcDay(now);
  const goals = sortForDashboard(await loadGoalViews(db, workspaceId, today), today);
  const studyCount = (await db.select({ n: count() }).from(studies).where(eq(studies.workspaceId, workspaceId)))[0]!.n;
  const current = await latestDatasets(db, workspaceId);
  return {
    today,
    goals,
    health: {
      studies: studyCount,
      studiesWithoutData: await studiesWithoutData(db, workspaceId),
      datasetsWithProblems: datasetsWithProblems(current),
      profilesNoDatasetCanEvaluate: await profilesNoDatasetCanEvaluate(db, workspaceId, current),
      openCommentThreads: await openCommentThreads(db, workspaceId),
      activeMembers: await activeMembers(db, workspaceId, now),
      activeWindowDays: ACTIVE_WINDOW_DAYS,
    },
    recentActivity: (await listRecentEvents(actor, workspaceId, { limit: 15 })).items,
  };
}
