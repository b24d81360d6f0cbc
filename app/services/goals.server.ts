/**
 * Shared goals: a lead sets them and their milestones; a goal's owner may
 * change its status; a milestone's owner ticks it or sets its number.
 * Everyone in the workspace reads them. Every change is an event.
 */
import { and, eq, max } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { goalMilestones, goals, type Goal, type GoalMilestone } from "#db/schema.ts";
import { utcDay } from "#app/domain/goals.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { CreateGoalInput, MilestoneInput, UpdateGoalInput, UpdateMilestoneInput } from "#app/schemas/goals.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { goalJson, milestoneJson } from "#app/public-shapes/goals.ts";
import { newId } from "./crypto.server.ts";
import { forbidden, notFound, unprocessable, validationFailed } from "./errors.server.ts";
import { writeTransaction, type Writer } from "./events.server.ts";
import { loadGoalRow, loadGoalView, loadGoalViews, type GoalView } from "./goal-views.server.ts";
import { findMembership, requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";
import { rejectStaleEdit } from "./versions.server.ts";
import type { z } from "zod";

async function requireMemberAsOwner(tx: Transaction, workspaceId: string, ownerId: string | null | undefined, field: string) {
  if (!ownerId) return;
  if (!(await findMembership(workspaceId, ownerId, tx))) {
    throw validationFailed(`${field}: the owner must be a member of this workspace.`, [
      { field, message: "Choose a member of this workspace." },
    ]);
  }
}

const goalSummary = (g: Goal) => ({ title: g.title, description: g.description, ownerId: g.ownerId, dueDate: g.dueDate, status: g.status });
const milestoneSummary = (m: GoalMilestone) => ({
  title: m.title,
  metric: m.metric,
  params: m.params,
  target: m.target,
  value: m.value,
  done: m.done,
  ownerId: m.ownerId,
  dueDate: m.dueDate,
});

async function insertMilestone(
  { tx, record }: Writer,
  actor: PublicUser,
  goal: Goal,
  data: z.output<typeof MilestoneInput>,
  position: number,
  field: string,
): Promise<GoalMilestone> {
  await requireMemberAsOwner(tx, goal.workspaceId, data.ownerId, `${field}ownerId`);
  const now = new Date();
  const row = (
    await tx
      .insert(goalMilestones)
      .values({
        id: newId(),
        goalId: goal.id,
        workspaceId: goal.workspaceId,
        position,
        title: data.title,
        metric: data.metric,
        params: data.params,
        target: data.metric === "checkbox" || data.metric === "protocol_approved" ? null : (data.target ?? null),
        value: data.metric === "manual_number" ? (data.value ?? 0) : null,
        done: data.metric === "checkbox" ? (data.done ?? false) : false,
        ownerId: data.ownerId ?? null,
        dueDate: data.dueDate ?? null,
        version: 1,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
  )[0];
  await record({
    workspaceId: goal.workspaceId,
    actorId: actor.id,
    type: "goal.milestone_added",
    target: { type: "goal", id: goal.id },
    payload: { goalId: goal.id, goal: goal.title, milestoneId: row.id, title: row.title, metric: row.metric },
  });
  return row;
}

export async function createGoal(actor: PublicUser, workspaceId: string, input: unknown, now = new Date()): Promise<GoalView> {
  return await writeTransaction(async (writer) => {
    const { tx, record } = writer;
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const data = parseInput(CreateGoalInput, input);
    await requireMemberAsOwner(tx, workspaceId, data.ownerId, "ownerId");
    const goal = (
      await tx
        .insert(goals)
        .values({
          id: newId(),
          workspaceId,
          title: data.title,
          description: data.description,
          ownerId: data.ownerId === undefined ? actor.id : data.ownerId,
          dueDate: data.dueDate ?? null,
          status: data.status,
          version: 1,
          createdBy: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
    )[0];
    await record({
      workspaceId,
      actorId: actor.id,
      type: "goal.created",
      target: { type: "goal", id: goal.id },
      payload: { title: goal.title, dueDate: goal.dueDate, status: goal.status, ownerId: goal.ownerId },
    });
    for (const [i, m] of data.milestones.entries()) await insertMilestone(writer, actor, goal, m, i, `milestones.${i}.`);
    return await loadGoalView(tx, workspaceId, goal.id, utcDay(now));
  });
}

export async function updateGoal(
  actor: PublicUser,
  workspaceId: string,
  goalId: string,
  input: unknown,
  now = new Date(),
): Promise<GoalView> {
  return await writeTransaction(async ({ tx, record }) => {
    const role = await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const before = await loadGoalRow(tx, workspaceId, goalId);
    const changes = parseInput(UpdateGoalInput, input);
    const { baseVersion, ...fields } = changes;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<typeof fields>;
    if (role !== "lead") {
      // The goal's owner reports how it is going; everything else is the lead's.
      if (before.ownerId !== actor.id) throw forbidden("Only a lead or the goal's owner may change this goal.");
      const other = Object.keys(defined).filter((k) => k !== "status");
      if (other.length) throw forbidden(`As the goal's owner you may change its status; ${other.join(", ")} only a lead may change.`);
    }
    await rejectStaleEdit(baseVersion, before.version, {
      what: "goal",
      current: async () => goalJson(await loadGoalView(tx, workspaceId, goalId, utcDay(now))),
    });
    await requireMemberAsOwner(tx, workspaceId, defined.ownerId, "ownerId");
    await tx
      .update(goals)
      .set({ ...defined, version: before.version + 1, updatedAt: now })
      .where(eq(goals.id, goalId));
    const after = await loadGoalRow(tx, workspaceId, goalId);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "goal.updated",
      target: { type: "goal", id: goalId },
      payload: { version: after.version, before: goalSummary(before), after: goalSummary(after) },
    });
    return await loadGoalView(tx, workspaceId, goalId, utcDay(now));
  });
}

export async function addMilestone(actor: PublicUser, workspaceId: string, goalId: string, input: unknown, now = new Date()) {
  return await writeTransaction(async (writer) => {
    const { tx } = writer;
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const goal = await loadGoalRow(tx, workspaceId, goalId);
    const data = parseInput(MilestoneInput, input);
    const last = (
      await tx
        .select({ p: max(goalMilestones.position) })
        .from(goalMilestones)
        .where(eq(goalMilestones.goalId, goalId))
    )[0];
    const row = await insertMilestone(writer, actor, goal, data, (last?.p ?? -1) + 1, "");
    return (await loadGoalView(tx, workspaceId, goalId, utcDay(now))).milestones.find((m) => m.id === row.id)!;
  });
}

async function loadMilestoneRow(tx: Transaction, workspaceId: string, goalId: string, milestoneId: string): Promise<GoalMilestone> {
  const row = (
    await tx
      .select()
      .from(goalMilestones)
      .where(and(eq(goalMilestones.id, milestoneId), eq(goalMilestones.goalId, goalId)))
  )[0];
  if (!row || row.workspaceId !== workspaceId) throw notFound("No milestone with this id in this goal.");
  return row;
}

export async function updateMilestone(actor: PublicUser, workspaceId: string, goalId: string, milestoneId: string, input: unknown) {
  return await writeTransaction(async ({ tx, record }) => {
    const role = await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const goal = await loadGoalRow(tx, workspaceId, goalId);
    const before = await loadMilestoneRow(tx, workspaceId, goalId, milestoneId);
    const { baseVersion, ...fields } = parseInput(UpdateMilestoneInput, input);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<typeof fields>;
    if (role !== "lead") {
      // Contributors update the milestones they own: a tick, or the number. Observers only read.
      if (before.ownerId !== actor.id || !roleAtLeast(role, "contributor")) {
        throw forbidden("Only a lead or the milestone's owner (a contributor) may update this milestone.");
      }
      const other = Object.keys(defined).filter((k) => k !== "done" && k !== "value");
      if (other.length)
        throw forbidden(`As the milestone's owner you may tick it or set its number; ${other.join(", ")} only a lead may change.`);
    }
    await rejectStaleEdit(baseVersion, before.version, {
      what: "milestone",
      current: async () =>
        milestoneJson((await loadGoalView(tx, workspaceId, goalId, utcDay(new Date()))).milestones.find((m) => m.id === milestoneId)!),
    });
    if (defined.done !== undefined && before.metric !== "checkbox") {
      throw unprocessable("Only a checkbox milestone is ticked; this one counts itself or is a number.");
    }
    if (defined.value !== undefined && before.metric !== "manual_number") {
      throw unprocessable("Only a manual number milestone takes a value; this one is a checkbox or counts itself.");
    }
    if (defined.params?.protocolId === "" && before.metric === "protocol_approved") {
      throw validationFailed("params.protocolId: choose the protocol.", [{ field: "params.protocolId", message: "Choose the protocol." }]);
    }
    await requireMemberAsOwner(tx, workspaceId, defined.ownerId, "ownerId");
    await tx
      .update(goalMilestones)
      .set({ ...defined, version: before.version + 1, updatedAt: new Date() })
      .where(eq(goalMilestones.id, milestoneId));
    const after = await loadMilestoneRow(tx, workspaceId, goalId, milestoneId);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "goal.milestone_updated",
      target: { type: "goal", id: goalId },
      payload: {
        goalId,
        goal: goal.title,
        milestoneId,
        version: after.version,
        before: milestoneSummary(before),
        after: milestoneSummary(after),
      },
    });
    return (await loadGoalView(tx, workspaceId, goalId, utcDay(new Date()))).milestones.find((m) => m.id === milestoneId)!;
  });
}

export async function listGoals(actor: PublicUser, workspaceId: string, now = new Date()): Promise<GoalView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadGoalViews(getDb(), workspaceId, utcDay(now));
}

export async function getGoal(actor: PublicUser, workspaceId: string, goalId: string, now = new Date()): Promise<GoalView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadGoalView(getDb(), workspaceId, goalId, utcDay(now));
}
