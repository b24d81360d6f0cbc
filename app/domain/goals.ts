/**
 * Goals as pure logic: statuses, the kinds of key result, progress, what is
 * overdue or due soon, the dashboard's order, and the CSV and iCalendar
 * exports. No I/O: the server and the browser share it.
 */
import { toSafeCsv } from "./spreadsheet-safety.ts";
import { icsText } from "./generated-text.ts";

export const GOAL_STATUSES = ["on_track", "at_risk", "off_track", "done"] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
  done: "Done",
};

/**
 * How a key result counts. `checkbox` and `manual_number` are set by their
 * owner; the others are computed from the workspace's data on every read.
 */
export const METRIC_KINDS = [
  "checkbox",
  "manual_number",
  "studies_with_results",
  "results_count",
  "studies_count",
  "panels_count",
  "datasets_harmonised",
  "protocol_approved",
] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export const METRIC_LABELS: Record<MetricKind, string> = {
  checkbox: "Checkbox (ticked by its owner)",
  manual_number: "Number (updated by its owner)",
  studies_with_results: "Studies with results",
  results_count: "Results recorded",
  studies_count: "Studies in the workspace",
  panels_count: "Biomarker panels",
  datasets_harmonised: "Datasets harmonised to the panel",
  protocol_approved: "Protocol approved",
};

/** Metrics a person sets; the rest compute themselves. */
export const MANUAL_METRICS: readonly MetricKind[] = ["checkbox", "manual_number"];

export const isComputedMetric = (kind: MetricKind) => !MANUAL_METRICS.includes(kind);

export interface MetricParams {
  /** studies_with_results: count only results whose subgroup contains this text (case-insensitive). */
  subgroup?: string;
  /** protocol_approved: the protocol. */
  protocolId?: string;
}

/** Where a key result stands: `current` of `target` (booleans are 0 or 1 of 1). */
export interface Measurement {
  current: number;
  target: number | null;
  /** Why a computed value cannot be trusted yet (e.g. its data does not exist in this workspace). */
  note?: string;
}

/** 0..1. A number without a target has no progress to show (0); over-achieving caps at 1. */
export function progressOf(m: Measurement): number {
  if (m.target === null || !(m.target > 0)) return m.current > 0 && m.target === 0 ? 1 : 0;
  return Math.max(0, Math.min(1, m.current / m.target));
}

/** What a key result someone sets by hand stands at: a tick is 1 of 1; a number is its value of its target. */
export function measureManual(
  kind: "checkbox" | "manual_number",
  stored: { done: boolean; value: number | null; target: number | null },
): Measurement {
  return kind === "checkbox" ? { current: stored.done ? 1 : 0, target: 1 } : { current: stored.value ?? 0, target: stored.target };
}

/** A goal's progress: done is done; otherwise the mean of its key results (0 with none). */
export function goalProgress(status: GoalStatus, milestoneProgress: number[]): number {
  if (status === "done") return 1;
  if (milestoneProgress.length === 0) return 0;
  return milestoneProgress.reduce((a, b) => a + b, 0) / milestoneProgress.length;
}

/** "YYYY-MM-DD" of an instant, in UTC (the consortium reads one calendar). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return utcDay(d);
}

export function isValidDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && utcDay(d) === value;
}

interface Dated {
  status: GoalStatus;
  dueDate: string | null;
}

/** Past its due day and not done. Due today is not overdue yet. */
export function isOverdue(goal: Dated, today: string): boolean {
  return goal.status !== "done" && goal.dueDate !== null && goal.dueDate < today;
}

export const DUE_SOON_DAYS = 7;

/** Due within the coming week (today included), and not done. */
export function isDueSoon(goal: Dated, today: string): boolean {
  return goal.status !== "done" && goal.dueDate !== null && goal.dueDate >= today && goal.dueDate <= addDays(today, DUE_SOON_DAYS);
}

/** Which reminder a goal's owner should have by now, if any. */
export function dueReminderKind(goal: Dated, today: string): "due_soon" | "overdue" | null {
  if (isOverdue(goal, today)) return "overdue";
  if (isDueSoon(goal, today)) return "due_soon";
  return null;
}

/** The dashboard's order: overdue first, then off track, at risk, on track, done; earlier due dates first within each. */
export function dashboardRank(goal: Dated, today: string): number {
  if (isOverdue(goal, today)) return 0;
  return { off_track: 1, at_risk: 2, on_track: 3, done: 4 }[goal.status];
}

export function sortForDashboard<T extends Dated & { title: string }>(goals: T[], today: string): T[] {
  return [...goals].sort(
    (a, b) =>
      dashboardRank(a, today) - dashboardRank(b, today) ||
      (a.dueDate ?? "9999-12-31").localeCompare(b.dueDate ?? "9999-12-31") ||
      a.title.localeCompare(b.title),
  );
}

/** Where a day falls between two others, 0..1, for the timeline. */
export function timelinePosition(day: string, start: string, end: string): number {
  const t = (d: string) => new Date(`${d}T00:00:00Z`).getTime();
  const span = t(end) - t(start);
  if (span <= 0) return 0.5;
  return Math.max(0, Math.min(1, (t(day) - t(start)) / span));
}

// ---------- exports ----------

export interface ExportMilestone {
  id: string;
  title: string;
  metric: MetricKind;
  owner: string;
  dueDate: string | null;
  current: number;
  target: number | null;
  progress: number;
}

export interface ExportGoal {
  id: string;
  title: string;
  description: string;
  owner: string;
  dueDate: string | null;
  status: GoalStatus;
  progress: number;
  milestones: ExportMilestone[];
}

const percent = (p: number) => String(Math.round(p * 100));

export const GOALS_CSV_COLUMNS = [
  "goal_id",
  "goal",
  "goal_status",
  "goal_owner",
  "goal_due",
  "goal_progress_percent",
  "milestone_id",
  "milestone",
  "kind",
  "milestone_owner",
  "milestone_due",
  "current",
  "target",
  "milestone_progress_percent",
];

/** One row per milestone (a goal without milestones gets one row of its own). */
export function goalsToCsv(goals: ExportGoal[]): string {
  const rows: (string | number | null)[][] = [GOALS_CSV_COLUMNS];
  for (const g of goals) {
    const head = [g.id, g.title, g.status, g.owner, g.dueDate, percent(g.progress)];
    if (g.milestones.length === 0) rows.push([...head, null, null, null, null, null, null, null, null]);
    for (const m of g.milestones) {
      rows.push([...head, m.id, m.title, m.metric, m.owner, m.dueDate, m.current, m.target, percent(m.progress)]);
    }
  }
  return toSafeCsv(rows);
}

/** RFC 5545 folds lines longer than 75 octets; continuation lines start with a space. */
function foldLine(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const n = new TextEncoder().encode(char).length;
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += char;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const icsDate = (day: string) => day.replace(/-/g, "");
const icsStamp = (now: Date) =>
  now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** The due dates of goals and milestones as all-day events, one calendar. */
export function goalsToIcs(goals: ExportGoal[], options: { workspaceName: string; now: Date; host: string }): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Consilience//Goals//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icsText(`${options.workspaceName}: goals`)}`,
  ];
  const event = (uid: string, day: string, summary: string, description: string) => {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uid}@${options.host}`,
      `DTSTAMP:${icsStamp(options.now)}`,
      `DTSTART;VALUE=DATE:${icsDate(day)}`,
      `DTEND;VALUE=DATE:${icsDate(addDays(day, 1))}`,
      `SUMMARY:${icsText(summary)}`,
      `DESCRIPTION:${icsText(description)}`,
      "END:VEVENT",
    );
  };
  for (const g of goals) {
    if (g.dueDate) {
      event(
        `goal-${g.id}`,
        g.dueDate,
        `Goal due: ${g.title}`,
        `${GOAL_STATUS_LABELS[g.status]}, ${percent(g.progress)}% done. Owner: ${g.owner || "none"}.${g.description ? `\n\n${g.description}` : ""}`,
      );
    }
    for (const m of g.milestones) {
      if (m.dueDate) event(`milestone-${m.id}`, m.dueDate, `Milestone due: ${m.title}`, `Goal: ${g.title}. ${percent(m.progress)}% done.`);
    }
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
