/** Goals as a page received them, kept current from goal events (status, due date, ticks) without a request. */
import { useCallback } from "react";
import { utcDay } from "#app/domain/goals.ts";
import { useLivePatched } from "./live-events.ts";
import { patchGoal, patchGoals, type NameOf } from "./patches/goals.ts";
import { useWorkspace } from "./workspace-context.tsx";

function useNameOf(): NameOf {
  const { members } = useWorkspace();
  return useCallback((userId: string) => members.find((m) => m.userId === userId)?.name, [members]);
}

/** `today`: the day the server judged "overdue" by; the browser's UTC day otherwise. */
export function useLiveGoals<G extends Parameters<typeof patchGoals>[0][number]>(goals: G[], today?: string): G[] {
  const nameOf = useNameOf();
  const day = today ?? utcDay(new Date());
  return useLivePatched(goals, (current, event) => patchGoals(current, event, day, nameOf));
}

export function useLiveGoal<G extends Parameters<typeof patchGoal>[0]>(goal: G): G {
  const nameOf = useNameOf();
  const day = utcDay(new Date());
  return useLivePatched(goal, (current, event) => patchGoal(current, event, day, nameOf));
}
