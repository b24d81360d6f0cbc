/**
 * The demo consortium's shared goals: one counted from the workspace's data
 * and its owners' updates, and one that has slipped past its due date, so the
 * dashboard and the reminders have something to show from the start.
 */
import { addDays, utcDay } from "#app/domain/goals.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import { createGoal, updateMilestone } from "#app/services/goals.server.ts";

export interface GoalsSeedContext {
  lead: PublicUser;
  contributors: PublicUser[];
  observer: PublicUser;
  workspaceId: string;
}

/** "By Q2": the next 30 June at least two weeks ahead, so the demo's goal is never born overdue. */
function nextEndOfQ2(today: string): string {
  const year = Number(today.slice(0, 4));
  const thisYear = `${year}-06-30`;
  return thisYear > addDays(today, 14) ? thisYear : `${year + 1}-06-30`;
}

export async function seedGoals(ctx: GoalsSeedContext, now = new Date()) {
  const [immunologist, endocrinologist] = ctx.contributors;
  const today = utcDay(now);

  const harmonise = await createGoal(
    ctx.lead,
    ctx.workspaceId,
    {
      title: "Harmonise all baseline biomarker data by Q2",
      description:
        "Every site's baseline CRP, IL-6, insulin, glucose, lipids and BMI uploaded, mapped to the default panel and converted to its units.",
      ownerId: endocrinologist.id,
      dueDate: nextEndOfQ2(today),
      status: "on_track",
      milestones: [
        { title: "Default biomarker panel agreed by all sites", metric: "checkbox", ownerId: ctx.lead.id },
        { title: "Datasets harmonised to the panel", metric: "datasets_harmonised", target: 6, ownerId: endocrinologist.id },
        { title: "Sites that confirmed their lab units", metric: "manual_number", target: 5, ownerId: immunologist.id },
      ],
    },
    now,
  );
  const [panelAgreed, , labUnits] = harmonise.milestones;
  await updateMilestone(ctx.lead, ctx.workspaceId, harmonise.id, panelAgreed.id, { baseVersion: panelAgreed.version, done: true });
  await updateMilestone(immunologist, ctx.workspaceId, harmonise.id, labUnits.id, { baseVersion: labUnits.version, value: 3 });

  const preregister = await createGoal(
    ctx.lead,
    ctx.workspaceId,
    {
      title: "Pre-register the pooled analysis of anti-inflammatory trials by profile",
      description:
        "Analysis plan for pooling anti-inflammatory trials by CRP profile, registered on OSF before any pooled estimate is looked at.",
      ownerId: immunologist.id,
      dueDate: addDays(today, -10),
      status: "at_risk",
      milestones: [
        {
          title: "Studies with results for the inflammatory (CRP) profile",
          metric: "studies_with_results",
          params: { subgroup: "CRP" },
          target: 5,
          ownerId: immunologist.id,
        },
        { title: "Analysis plan drafted", metric: "checkbox", ownerId: immunologist.id },
        { title: "Sites that signed off the plan", metric: "manual_number", target: 4, ownerId: ctx.lead.id },
      ],
    },
    now,
  );
  const [, drafted] = preregister.milestones;
  await updateMilestone(immunologist, ctx.workspaceId, preregister.id, drafted.id, { baseVersion: drafted.version, done: true });

  return { goals: [harmonise.id, preregister.id] };
}
