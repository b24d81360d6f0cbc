/**
 * Due-date reminders for goal owners: one a week before the due date, one
 * when it has passed. The dedupe keys name the goal and its due date, so
 * running this every hour, or again after a restart, sends each reminder
 * once; moving the due date earns new reminders for the new date.
 */
import { and, eq, isNotNull, lte, ne } from "drizzle-orm";
import { goals, memberships, workspaces } from "#db/schema.ts";
import { addDays, dueReminderKind, DUE_SOON_DAYS, utcDay } from "#app/domain/goals.ts";
import { writeTransaction } from "./events.server.ts";
import { notify } from "./notifications.server.ts";

export async function sendDueReminders(now = new Date()): Promise<{ sent: number }> {
  const today = utcDay(now);
  return await writeTransaction(async ({ tx }) => {
    const candidates = await tx
      .select({ goal: goals, workspaceName: workspaces.name })
      .from(goals)
      .innerJoin(workspaces, eq(workspaces.id, goals.workspaceId))
      // Owners who left the workspace are not reminded of its goals.
      .innerJoin(memberships, and(eq(memberships.workspaceId, goals.workspaceId), eq(memberships.userId, goals.ownerId)))
      .where(
        and(
          ne(goals.status, "done"),
          isNotNull(goals.dueDate),
          isNotNull(goals.ownerId),
          lte(goals.dueDate, addDays(today, DUE_SOON_DAYS)),
        ),
      );
    let sent = 0;
    for (const { goal, workspaceName } of candidates) {
      const kind = dueReminderKind(goal, today);
      if (!kind) continue;
      const created = await notify(
        tx,
        {
          userId: goal.ownerId!,
          workspaceId: goal.workspaceId,
          kind: kind === "overdue" ? "goal.overdue" : "goal.due_soon",
          target: { type: "goal", id: goal.id },
          title: kind === "overdue" ? `Overdue: ${goal.title}` : `Due on ${goal.dueDate}: ${goal.title}`,
          body:
            kind === "overdue"
              ? `The goal you own in ${workspaceName} was due on ${goal.dueDate}. Mark it done or agree a new date with the lead.`
              : `The goal you own in ${workspaceName} is due within a week, on ${goal.dueDate}.`,
          dedupeKey: `${kind === "overdue" ? "goal-overdue" : "goal-due-soon"}:${goal.id}:${goal.dueDate}`,
        },
        now,
      );
      if (created) sent += 1;
    }
    return { sent };
  });
}
