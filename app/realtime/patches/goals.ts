/**
 * Goal events applied to the goals a page holds (a goal's page, the goals list,
 * the dashboard): a status or due date changed, a key result ticked or set.
 * Progress is recomputed here with the same domain rules the server uses.
 * A key result whose number the server computes from the workspace's data
 * (studies with results, harmonised datasets…) cannot be measured in the
 * browser: when its definition changes, the page reloads instead
 * (`milestoneNeedsMeasuring`).
 */
import type { PublicEvent } from "#app/domain/events.ts";
import {
  goalProgress,
  isComputedMetric,
  isDueSoon,
  isOverdue,
  measureManual,
  progressOf,
  type GoalStatus,
  type MetricKind,
} from "#app/domain/goals.ts";

interface Person {
  id: string;
  name: string;
}

interface Milestone {
  id: string;
  title: string;
  metric: MetricKind;
  target: number | null;
  value: number | null;
  done: boolean;
  current: number;
  effectiveTarget: number | null;
  progress: number;
  owner: Person | null;
  dueDate: string | null;
  version: number;
}

interface Goal {
  id: string;
  title: string;
  description: string;
  owner: Person | null;
  dueDate: string | null;
  status: GoalStatus;
  version: number;
  progress: number;
  overdue: boolean;
  dueSoon: boolean;
  milestones: Milestone[];
}

/** Names of the workspace's members by id, to name a new owner the event gives only by id. */
export type NameOf = (userId: string) => string | undefined;

const personOf = (id: string | null, nameOf: NameOf, known: Person | null): Person | null =>
  id === null ? null : known?.id === id ? known : { id, name: nameOf(id) ?? "a member" };

/** A change to a key result whose value the server computes from data and whose definition changed. */
export function milestoneNeedsMeasuring(event: PublicEvent): boolean {
  if (event.type !== "goal.milestone_updated") return false;
  const { before, after } = event.payload;
  return (
    isComputedMetric(after.metric) &&
    (before.metric !== after.metric || JSON.stringify(before.params) !== JSON.stringify(after.params) || before.target !== after.target)
  );
}

function patchMilestone<M extends Milestone>(
  milestone: M,
  event: Extract<PublicEvent, { type: "goal.milestone_updated" }>,
  nameOf: NameOf,
): M {
  const { after, version } = event.payload;
  if (milestone.version >= version) return milestone;
  const measured = isComputedMetric(after.metric)
    ? { current: milestone.current, effectiveTarget: milestone.effectiveTarget, progress: milestone.progress }
    : (() => {
        const m = measureManual(after.metric as "checkbox" | "manual_number", after);
        return { current: m.current, effectiveTarget: m.target, progress: progressOf(m) };
      })();
  return {
    ...milestone,
    title: after.title,
    target: after.target,
    value: after.value,
    done: after.done,
    dueDate: after.dueDate,
    owner: personOf(after.ownerId, nameOf, milestone.owner),
    version,
    ...measured,
  };
}

/** A goal after an event about it (answers `goal` itself for anything else). */
export function patchGoal<G extends Goal>(goal: G, event: PublicEvent, today: string, nameOf: NameOf): G {
  if (event.type === "goal.updated" && event.target.id === goal.id && event.payload.version > goal.version) {
    const { after, version } = event.payload;
    const dated = { status: after.status, dueDate: after.dueDate };
    return {
      ...goal,
      title: after.title,
      description: after.description,
      dueDate: after.dueDate,
      status: after.status,
      owner: personOf(after.ownerId, nameOf, goal.owner),
      version,
      progress: goalProgress(
        after.status,
        goal.milestones.map((m) => m.progress),
      ),
      overdue: isOverdue(dated, today),
      dueSoon: isDueSoon(dated, today),
    };
  }
  if (event.type === "goal.milestone_updated" && event.payload.goalId === goal.id) {
    const milestones = goal.milestones.map((m) => (m.id === event.payload.milestoneId ? patchMilestone(m, event, nameOf) : m));
    if (milestones.every((m, i) => m === goal.milestones[i])) return goal;
    return {
      ...goal,
      milestones,
      progress: goalProgress(
        goal.status,
        milestones.map((m) => m.progress),
      ),
    };
  }
  return goal;
}

/** A list of goals after an event (the same list when no goal in it changed). */
export function patchGoals<G extends Goal>(goals: G[], event: PublicEvent, today: string, nameOf: NameOf): G[] {
  const next = goals.map((g) => patchGoal(g, event, today, nameOf));
  return next.every((g, i) => g === goals[i]) ? goals : next;
}
