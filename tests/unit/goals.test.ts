import { describe, expect, it } from "vitest";
import {
  addDays,
  dueReminderKind,
  goalProgress,
  goalsToCsv,
  goalsToIcs,
  isDueSoon,
  isOverdue,
  isValidDay,
  progressOf,
  sortForDashboard,
  timelinePosition,
  type ExportGoal,
} from "#app/domain/goals.ts";
import { isHarmonisedDataset, problemColumns } from "#app/domain/goal-health.ts";

describe("progress", () => {
  it("is the share of the target reached, capped at the whole", () => {
    expect(progressOf({ current: 3, target: 5 })).toBeCloseTo(0.6);
    expect(progressOf({ current: 7, target: 5 })).toBe(1);
    expect(progressOf({ current: -1, target: 5 })).toBe(0);
  });
  it("shows nothing for a number without a target", () => {
    expect(progressOf({ current: 4, target: null })).toBe(0);
  });
  it("of a goal is the mean of its milestones, and whole once the goal is done", () => {
    expect(goalProgress("on_track", [1, 0, 0.5])).toBeCloseTo(0.5);
    expect(goalProgress("at_risk", [])).toBe(0);
    expect(goalProgress("done", [0, 0])).toBe(1);
  });
});

describe("due dates", () => {
  const today = "2026-03-10";
  it("a goal is overdue the day after its due date, unless it is done", () => {
    expect(isOverdue({ status: "on_track", dueDate: "2026-03-10" }, today)).toBe(false);
    expect(isOverdue({ status: "on_track", dueDate: "2026-03-09" }, today)).toBe(true);
    expect(isOverdue({ status: "done", dueDate: "2026-03-01" }, today)).toBe(false);
    expect(isOverdue({ status: "on_track", dueDate: null }, today)).toBe(false);
  });
  it("is due soon within the coming week", () => {
    expect(isDueSoon({ status: "at_risk", dueDate: "2026-03-17" }, today)).toBe(true);
    expect(isDueSoon({ status: "at_risk", dueDate: "2026-03-18" }, today)).toBe(false);
  });
  it("earns one reminder kind at a time", () => {
    expect(dueReminderKind({ status: "on_track", dueDate: "2026-03-13" }, today)).toBe("due_soon");
    expect(dueReminderKind({ status: "on_track", dueDate: "2026-03-01" }, today)).toBe("overdue");
    expect(dueReminderKind({ status: "on_track", dueDate: "2026-05-01" }, today)).toBeNull();
  });
  it("checks calendar days", () => {
    expect(isValidDay("2026-02-28")).toBe(true);
    expect(isValidDay("2026-02-30")).toBe(false);
    expect(isValidDay("next week")).toBe(false);
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
  });
  it("places a day on the timeline between two others", () => {
    expect(timelinePosition("2026-01-11", "2026-01-01", "2026-01-21")).toBeCloseTo(0.5);
    expect(timelinePosition("2026-01-01", "2026-01-01", "2026-01-01")).toBe(0.5);
  });
});

describe("the dashboard's order", () => {
  it("puts overdue goals first, then off track and at risk, then the rest, earlier due dates first", () => {
    const goals = [
      { title: "calm", status: "on_track" as const, dueDate: "2026-04-01" },
      { title: "done", status: "done" as const, dueDate: "2026-01-01" },
      { title: "risky", status: "at_risk" as const, dueDate: "2026-06-01" },
      { title: "late", status: "on_track" as const, dueDate: "2026-03-01" },
      { title: "sinking", status: "off_track" as const, dueDate: null },
      { title: "calm earlier", status: "on_track" as const, dueDate: "2026-03-20" },
    ];
    expect(sortForDashboard(goals, "2026-03-10").map((g) => g.title)).toEqual(["late", "sinking", "risky", "calm earlier", "calm", "done"]);
  });
});

const goal = (overrides: Partial<ExportGoal> = {}): ExportGoal => ({
  id: "g1",
  title: "Harmonise all baseline biomarker data by Q2",
  description: "CRP, IL-6; then the rest",
  owner: "Dr. Maria Jansen",
  dueDate: "2026-06-30",
  status: "at_risk",
  progress: 0.5,
  milestones: [
    {
      id: "m1",
      title: "Datasets harmonised",
      metric: "datasets_harmonised",
      owner: "",
      dueDate: null,
      current: 4,
      target: 6,
      progress: 4 / 6,
    },
    {
      id: "m2",
      title: '=HYPERLINK("x")',
      metric: "checkbox",
      owner: "Dr. Lea Schmidt",
      dueDate: "2026-05-01",
      current: 0,
      target: 1,
      progress: 0,
    },
  ],
  ...overrides,
});

describe("goals as CSV", () => {
  it("has one row per milestone with quoted text and formulas neutralised", () => {
    const csv = goalsToCsv([goal(), goal({ id: "g2", title: "Empty", milestones: [] })]);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "goal_id,goal,goal_status,goal_owner,goal_due,goal_progress_percent,milestone_id,milestone,kind,milestone_owner,milestone_due,current,target,milestone_progress_percent",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      "g1,Harmonise all baseline biomarker data by Q2,at_risk,Dr. Maria Jansen,2026-06-30,50,m1,Datasets harmonised,datasets_harmonised,,,4,6,67",
    );
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[3]).toBe("g2,Empty,at_risk,Dr. Maria Jansen,2026-06-30,50,,,,,,,,");
  });
});

describe("due dates as iCalendar", () => {
  const ics = goalsToIcs([goal()], { workspaceName: "Consortium; IMD", now: new Date("2026-03-10T12:00:00Z"), host: "example.org" });
  it("is a calendar of all-day events with CRLF lines", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics).toContain("X-WR-CALNAME:Consortium\\; IMD: goals");
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain("UID:goal-g1@example.org");
    expect(ics).toContain("DTSTART;VALUE=DATE:20260630\r\nDTEND;VALUE=DATE:20260701");
    expect(ics).toContain("DTSTAMP:20260310T120000Z");
    expect(ics).toContain('SUMMARY:Milestone due: =HYPERLINK("x")');
  });
  it("escapes commas and folds lines longer than 75 octets", () => {
    for (const line of ics.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain("\\n\\nCRP\\, IL-6\\; then the rest");
  });
});

describe("harmonised datasets", () => {
  it("need every biomarker column mapped and in a unit", () => {
    expect(
      isHarmonisedDataset([
        { name: "CRP", role: "biomarker", biomarker: "hs_crp", unit: "mg/L" },
        { name: "id", role: "participant_id" },
      ]),
    ).toBe(true);
    expect(isHarmonisedDataset([{ name: "CRP", role: "biomarker", biomarker: null, unit: null }])).toBe(false);
    expect(isHarmonisedDataset([{ name: "id", role: "participant_id" }])).toBe(false);
    expect(
      problemColumns([
        { name: "IL6", role: "biomarker", biomarker: "il6", unit: null },
        { name: "BMI", role: "biomarker", biomarker: "bmi", unit: "kg/m2" },
      ]),
    ).toEqual(["IL6"]);
  });
});
