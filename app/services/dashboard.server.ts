/**
 * The lead's dashboard: goals in the order that needs attention, the
 * workspace's health, and recent activity. All computed on read.
 *
 * Health items that read other areas' tables (datasets, profiles, comments)
 * answer null while those tables do not exist, and light up once they do.
 */
import { and, count, eq, gte, max, sql } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { events, memberships, results, studies, users } from "#db/schema.ts";
import { sortForDashboard, utcDay } from "#app/domain/goals.ts";
import { problemColumns } from "#app/domain/goal-health.ts";
import type { PublicUser } from "./accounts.server.ts";
import { listRecentEvents } from "./audit.server.ts";
import { latestDatasets, tableColumns, tableExists, type Db } from "./goal-metrics.server.ts";
import { loadGoalViews } from "./goal-views.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";

const ACTIVE_WINDOW_DAYS = 14;

function studiesWithoutData(db: Db, workspaceId: string) {
  const hasDatasets = tableExists(db, "datasets") && tableColumns(db, "datasets").has("status");
  // A dataset still being imported is not data yet.
  const withData = hasDatasets
    ? sql`not exists (select 1 from ${results} r where r.study_id = ${studies.id}) and not exists (select 1 from datasets d where d.study_id = ${studies.id} and d.status = 'ready')`
    : sql`not exists (select 1 from ${results} r where r.study_id = ${studies.id})`;
  return db
    .select({ id: studies.id, title: studies.title })
    .from(studies)
    .where(and(eq(studies.workspaceId, workspaceId), withData))
    .orderBy(studies.title)
    .all();
}

function datasetsWithProblems(db: Db, workspaceId: string) {
  const datasets = latestDatasets(db, workspaceId);
  if (!datasets) return null;
  return datasets
    .map((d) => ({ id: d.id, name: d.name, studyId: d.studyId, columns: problemColumns(d.columns) }))
    .filter((d) => d.columns.length > 0);
}

/** Profiles whose biomarkers no single dataset carries. Null until profiles and datasets exist. */
function profilesNoDatasetCanEvaluate(db: Db, workspaceId: string) {
  if (!tableExists(db, "profiles")) return null;
  const columns = tableColumns(db, "profiles");
  if (!["id", "workspace_id", "name", "criteria"].every((c) => columns.has(c))) return null;
  const datasets = latestDatasets(db, workspaceId) ?? [];
  const carried = datasets.map((d) => new Set(d.columns.filter((c) => c.role === "biomarker" && c.biomarker).map((c) => c.biomarker!)));
  const rows = db.all<{ id: string; name: string; criteria: string }>(
    sql`select id, name, criteria from profiles where workspace_id = ${workspaceId} order by name`,
  );
  return rows
    .map((p) => {
      let criteria: unknown;
      try {
        criteria = JSON.parse(p.criteria);
      } catch {
        criteria = [];
      }
      const markers = (Array.isArray(criteria) ? criteria : [])
        .map((c) => (c && typeof c === "object" ? ((c as Record<string, unknown>).biomarker ?? (c as Record<string, unknown>).code) : null))
        .filter((b): b is string => typeof b === "string");
      return { id: p.id, name: p.name, markers };
    })
    .filter((p) => !carried.some((set) => p.markers.every((m) => set.has(m))))
    .map(({ id, name }) => ({ id, name }));
}

/** Top-level comments not resolved. Null until comments exist. */
function openCommentThreads(db: Db, workspaceId: string): number | null {
  if (!tableExists(db, "comments")) return null;
  const columns = tableColumns(db, "comments");
  if (!["workspace_id", "parent_id", "resolved_at"].every((c) => columns.has(c))) return null;
  // A deleted root no longer asks anyone anything.
  const notDeleted = columns.has("deleted_at") ? sql` and deleted_at is null` : sql``;
  const row = db.get<{ n: number }>(
    sql`select count(*) as n from comments where workspace_id = ${workspaceId} and parent_id is null and resolved_at is null${notDeleted}`,
  );
  return row?.n ?? 0;
}

function activeMembers(db: Db, workspaceId: string, now: Date) {
  const since = new Date(now.getTime() - ACTIVE_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const activity = db
    .select({ userId: events.actorId, changes: count(), lastActiveAt: max(events.createdAt) })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), gte(events.createdAt, since)))
    .groupBy(events.actorId)
    .all();
  const byUser = new Map(activity.map((a) => [a.userId, a]));
  return db
    .select({ userId: memberships.userId, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .all()
    .map((m) => {
      const a = byUser.get(m.userId);
      return { ...m, changes: a?.changes ?? 0, lastActiveAt: a?.lastActiveAt ? new Date(a.lastActiveAt).toISOString() : null };
    })
    .sort((a, b) => b.changes - a.changes || a.name.localeCompare(b.name));
}

export function getDashboard(actor: PublicUser, workspaceId: string, now = new Date()) {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const today = utcDay(now);
  const goals = sortForDashboard(loadGoalViews(db, workspaceId, today), today);
  const studyCount = db.select({ n: count() }).from(studies).where(eq(studies.workspaceId, workspaceId)).get()!.n;
  return {
    today,
    goals,
    health: {
      studies: studyCount,
      studiesWithoutData: studiesWithoutData(db, workspaceId),
      datasetsWithProblems: datasetsWithProblems(db, workspaceId),
      profilesNoDatasetCanEvaluate: profilesNoDatasetCanEvaluate(db, workspaceId),
      openCommentThreads: openCommentThreads(db, workspaceId),
      activeMembers: activeMembers(db, workspaceId, now),
      activeWindowDays: ACTIVE_WINDOW_DAYS,
    },
    recentActivity: listRecentEvents(actor, workspaceId, { limit: 15 }).items,
  };
}

export type Dashboard = ReturnType<typeof getDashboard>;

/** The API's shape of the dashboard. */
export function dashboardJson(d: Dashboard, goalJson: (g: Dashboard["goals"][number]) => unknown) {
  return { ...d, goals: d.goals.map(goalJson) };
}
