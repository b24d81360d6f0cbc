import { useFetcher } from "@remix-run/react";
import { measureManual, progressOf } from "#app/domain/goals.ts";
import { Button } from "#app/components/ui/button.tsx";
import { measurementText, ProgressBar } from "./progress.tsx";

export interface MilestoneItem {
  id: string;
  title: string;
  metric: string;
  metricLabel: string;
  computed: boolean;
  params: { subgroup?: string; protocolId?: string };
  done: boolean;
  value: number | null;
  current: number;
  effectiveTarget: number | null;
  progress: number;
  note: string | null;
  owner: { id: string; name: string } | null;
  dueDate: string | null;
  version: number;
}

type FetcherFailure = { ok: false; formError: string | null; fieldErrors: Record<string, string> };

/** The milestone as it will be once the tick being sent is saved: the person sees their tick at once. */
function withPendingTick(m: MilestoneItem, form: FormData | undefined): MilestoneItem {
  if (!form || form.get("intent") !== "tick" || m.metric !== "checkbox") return m;
  const done = form.get("done") === "true";
  const measured = measureManual("checkbox", { done, value: m.value, target: m.effectiveTarget });
  return { ...m, done, current: measured.current, progress: progressOf(measured) };
}

function MilestoneRow({ m: saved, canUpdate }: { m: MilestoneItem; canUpdate: boolean }) {
  const fetcher = useFetcher<FetcherFailure | { ok: true }>();
  const failure = fetcher.data && !fetcher.data.ok ? (fetcher.data as FetcherFailure) : null;
  const busy = fetcher.state !== "idle";
  const m = withPendingTick(saved, fetcher.formData);
  const detail = measurementText(m);
  return (
    <li className="px-4 py-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">{m.title}</span>
        <span className="text-xs text-slate-500">
          {m.metricLabel}
          {m.params.subgroup ? ` · subgroup “${m.params.subgroup}”` : ""}
          {m.owner ? ` · owner ${m.owner.name}` : ""}
          {m.dueDate ? ` · due ${m.dueDate}` : ""}
        </span>
      </div>
      <div className="mt-2">
        <ProgressBar progress={m.progress} label={`Progress of ${m.title}`} detail={detail} />
      </div>
      {m.note ? <p className="mt-1 text-xs text-amber-800">{m.note}</p> : null}
      {canUpdate && m.metric === "checkbox" ? (
        <fetcher.Form method="post" className="mt-2">
          <input type="hidden" name="intent" value="tick" />
          <input type="hidden" name="milestoneId" value={m.id} />
          <input type="hidden" name="baseVersion" value={m.version} />
          <input type="hidden" name="done" value={m.done ? "false" : "true"} />
          <Button variant="secondary" disabled={busy} aria-label={`${m.done ? "Untick" : "Tick"} ${m.title}`}>
            {m.done ? "Mark as not done" : "Mark as done"}
          </Button>
        </fetcher.Form>
      ) : null}
      {canUpdate && m.metric === "manual_number" ? (
        <fetcher.Form method="post" className="mt-2 flex flex-wrap items-end gap-2" key={m.version}>
          <input type="hidden" name="intent" value="set-value" />
          <input type="hidden" name="milestoneId" value={m.id} />
          <input type="hidden" name="baseVersion" value={m.version} />
          <label className="text-sm">
            <span className="block font-medium text-slate-800">Value of {m.title}</span>
            <input
              name="value"
              inputMode="decimal"
              defaultValue={m.value ?? ""}
              className="mt-1 w-32 rounded-md border border-slate-300 px-3 py-2 text-sm"
              aria-invalid={failure?.fieldErrors.value ? true : undefined}
            />
          </label>
          <Button variant="secondary" disabled={busy}>
            Update
          </Button>
        </fetcher.Form>
      ) : null}
      {failure ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {failure.formError ?? Object.values(failure.fieldErrors)[0]}
        </p>
      ) : null}
    </li>
  );
}

/** The goal's milestones with their bars; owners (and leads) get the control their kind of milestone takes. */
export function MilestoneList({ milestones, me, role }: { milestones: MilestoneItem[]; me: string; role: string }) {
  if (milestones.length === 0) return <p className="text-sm text-slate-600">No milestones yet.</p>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {milestones.map((m) => (
        <MilestoneRow key={m.id} m={m} canUpdate={role === "lead" || (role === "contributor" && m.owner?.id === me)} />
      ))}
    </ul>
  );
}
