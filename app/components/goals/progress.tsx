import { GOAL_STATUS_LABELS, type GoalStatus } from "#app/domain/goals.ts";

/** A labelled progress bar; the label is what screen readers announce and what the eye reads beside it. */
export function ProgressBar({ progress, label, detail }: { progress: number; label: string; detail?: string }) {
  const percent = Math.round(progress * 100);
  return (
    <div className="flex items-center gap-3">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={detail ? `${percent}% (${detail})` : `${percent}%`}
        className="h-2.5 flex-1 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={`h-full rounded-full ${percent >= 100 ? "bg-emerald-500" : "bg-brand-500"} transition-[width]`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <span className="w-24 shrink-0 text-right text-xs tabular-nums text-slate-600">{detail ?? `${percent}%`}</span>
    </div>
  );
}

const STATUS_TONES: Record<GoalStatus, string> = {
  on_track: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  at_risk: "bg-amber-50 text-amber-900 ring-amber-200",
  off_track: "bg-red-50 text-red-800 ring-red-200",
  done: "bg-slate-100 text-slate-700 ring-slate-200",
};

export function StatusBadge({ status, overdue }: { status: GoalStatus; overdue?: boolean }) {
  return (
    <span className="inline-flex gap-1">
      {overdue ? <span className="rounded-full bg-red-600 px-2 py-0.5 text-xs font-medium text-white">Overdue</span> : null}
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${STATUS_TONES[status]}`}>{GOAL_STATUS_LABELS[status]}</span>
    </span>
  );
}

/** "3 / 5", "done", "not yet": a milestone's standing in words. */
export function measurementText(m: { metric: string; current: number; effectiveTarget: number | null }): string {
  if (m.metric === "checkbox" || m.metric === "protocol_approved") return m.current >= 1 ? "done" : "not yet";
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return m.effectiveTarget === null ? fmt(m.current) : `${fmt(m.current)} / ${fmt(m.effectiveTarget)}`;
}
