import { timelinePosition } from "#app/domain/goals.ts";

interface Item {
  id: string;
  title: string;
  dueDate: string | null;
  overdue: boolean;
  status: string;
}

/** The goals' due dates on one line, with today marked: a glance at what is close and what has slipped. */
export function DueTimeline({ goals, today }: { goals: Item[]; today: string }) {
  const dated = goals.filter((g): g is Item & { dueDate: string } => g.dueDate !== null);
  if (dated.length === 0) return <p className="text-sm text-slate-600">No goal has a due date yet.</p>;
  const days = [...dated.map((g) => g.dueDate), today].sort();
  const start = days[0];
  const end = days[days.length - 1];
  const width = 600;
  const pad = 24;
  const x = (day: string) => pad + timelinePosition(day, start, end) * (width - 2 * pad);
  const rowHeight = 22;
  const height = 40 + dated.length * rowHeight;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Due dates from ${start} to ${end}; today is ${today}.`}
      className="w-full"
    >
      <line x1={pad} x2={width - pad} y1={20} y2={20} className="stroke-slate-300" strokeWidth={2} />
      <line x1={x(today)} x2={x(today)} y1={10} y2={height - 4} className="stroke-brand-500" strokeDasharray="4 3" />
      <text x={x(today)} y={10} textAnchor="middle" className="fill-brand-700 text-[10px]">
        today
      </text>
      <text x={pad} y={34} className="fill-slate-500 text-[10px]">
        {start}
      </text>
      <text x={width - pad} y={34} textAnchor="end" className="fill-slate-500 text-[10px]">
        {end}
      </text>
      {dated.map((g, i) => {
        const cx = x(g.dueDate);
        const cy = 48 + i * rowHeight;
        const tone = g.overdue
          ? "fill-red-600"
          : g.status === "done"
            ? "fill-emerald-500"
            : g.status === "on_track"
              ? "fill-brand-500"
              : "fill-amber-500";
        const anchorRight = cx > width / 2;
        return (
          <g key={g.id}>
            <title>{`${g.title}: due ${g.dueDate}`}</title>
            <line x1={cx} x2={cx} y1={20} y2={cy} className="stroke-slate-200" />
            <circle cx={cx} cy={cy} r={5} className={tone} />
            <text
              x={anchorRight ? cx - 9 : cx + 9}
              y={cy + 3.5}
              textAnchor={anchorRight ? "end" : "start"}
              className="fill-slate-700 text-[11px]"
            >
              {g.title.length > 48 ? `${g.title.slice(0, 47)}…` : g.title}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
