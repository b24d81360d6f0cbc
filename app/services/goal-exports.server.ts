/** Goals and milestones as CSV, and their due dates as an iCalendar file. */
import { getDb } from "#db/client.ts";
import { workspaces } from "#db/schema.ts";
import { eq } from "drizzle-orm";
import { goalsToCsv, goalsToIcs, utcDay, type ExportGoal } from "#app/domain/goals.ts";
import type { PublicUser } from "./accounts.server.ts";
import { loadGoalViews, type GoalView } from "./goal-views.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";

function exportable(goals: GoalView[]): ExportGoal[] {
  return goals.map((g) => ({
    id: g.id,
    title: g.title,
    description: g.description,
    owner: g.owner?.name ?? "",
    dueDate: g.dueDate,
    status: g.status,
    progress: g.progress,
    milestones: g.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      metric: m.metric,
      owner: m.owner?.name ?? "",
      dueDate: m.dueDate,
      current: m.current,
      target: m.effectiveTarget,
      progress: m.progress,
    })),
  }));
}

export async function exportGoalsCsv(actor: PublicUser, workspaceId: string, now = new Date()): Promise<string> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return goalsToCsv(exportable(await loadGoalViews(getDb(), workspaceId, utcDay(now))));
}

export async function exportGoalsIcs(actor: PublicUser, workspaceId: string, host: string, now = new Date()): Promise<string> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const workspace = (await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId)))[0];
  return goalsToIcs(exportable(await loadGoalViews(db, workspaceId, utcDay(now))), {
    workspaceName: workspace?.name ?? "Workspace",
    now,
    host,
  });
}
