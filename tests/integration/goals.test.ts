import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

const day = (offset: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

describe("goals by role", () => {
  let goal: { id: string; version: number; milestones: { id: string; version: number }[] };

  it("lets a lead create a goal with a checkbox owned by a contributor and a manual number", async () => {
    const created = await team.lead.api.post(`${ws()}/goals`, {
      title: "Pre-register the pooled analysis",
      description: "Anti-inflammatory trials by profile",
      dueDate: day(40),
      milestones: [
        { title: "Analysis plan drafted", metric: "checkbox", ownerId: team.contributor.id },
        { title: "Trials with data-sharing agreements", metric: "manual_number", target: 6, ownerId: team.contributor.id },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: "Pre-register the pooled analysis",
      status: "on_track",
      owner: { id: team.lead.id, name: "Lead Researcher" },
      progress: 0,
      overdue: false,
      version: 1,
      milestones: [
        {
          title: "Analysis plan drafted",
          metric: "checkbox",
          done: false,
          current: 0,
          effectiveTarget: 1,
          owner: { id: team.contributor.id },
        },
        { title: "Trials with data-sharing agreements", metric: "manual_number", current: 0, effectiveTarget: 6 },
      ],
    });
    goal = created.body;
  });

  it("refuses goal creation to a contributor (403) and an outsider (404), changing nothing", async () => {
    const before = await server.database.count("goals");
    expect((await team.contributor.api.post(`${ws()}/goals`, { title: "Mine" })).status).toBe(403);
    expect((await team.observer.api.post(`${ws()}/goals`, { title: "Mine" })).status).toBe(403);
    expect((await team.outsider.api.post(`${ws()}/goals`, { title: "Mine" })).status).toBe(404);
    expect(await server.database.count("goals")).toBe(before);
  });

  it("explains bad input next to the field", async () => {
    const bad = await team.lead.api.post(`${ws()}/goals`, {
      title: "",
      dueDate: "soon",
      milestones: [{ title: "n", metric: "manual_number" }],
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["title", "dueDate", "milestones.0.target"]));
    const stranger = await team.lead.api.post(`${ws()}/goals`, { title: "x", ownerId: team.outsider.id });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].field).toBe("ownerId");
  });

  it("lets the contributor who owns a milestone tick it, and the bar moves", async () => {
    const [checkbox, number] = goal.milestones;
    const ticked = await team.contributor.api.patch(`${ws()}/goals/${goal.id}/milestones/${checkbox.id}`, { baseVersion: 1, done: true });
    expect(ticked.status).toBe(200);
    expect(ticked.body).toMatchObject({ done: true, current: 1, progress: 1, version: 2 });
    const set = await team.contributor.api.patch(`${ws()}/goals/${goal.id}/milestones/${number.id}`, { baseVersion: 1, value: 3 });
    expect(set.body).toMatchObject({ value: 3, current: 3, progress: 0.5 });
    const read = await team.observer.api.get(`${ws()}/goals/${goal.id}`);
    expect(read.body.progress).toBeCloseTo(0.75);
  });

  it("keeps milestone owners to ticking and numbers, and observers to reading", async () => {
    const [checkbox] = goal.milestones;
    const retitle = await team.contributor.api.patch(`${ws()}/goals/${goal.id}/milestones/${checkbox.id}`, {
      baseVersion: 2,
      title: "Mine now",
    });
    expect(retitle.status).toBe(403);
    const observer = await team.observer.api.patch(`${ws()}/goals/${goal.id}/milestones/${checkbox.id}`, { baseVersion: 2, done: false });
    expect(observer.status).toBe(403);
    const outsider = await team.outsider.api.get(`${ws()}/goals/${goal.id}`);
    expect(outsider.status).toBe(404);
    const wrongKind = await team.contributor.api.patch(`${ws()}/goals/${goal.id}/milestones/${checkbox.id}`, { baseVersion: 2, value: 5 });
    expect(wrongKind.status).toBe(422);
    const notOwner = await team.contributor.api.patch(`${ws()}/goals/${goal.id}`, { baseVersion: 1, status: "at_risk" });
    expect(notOwner.status).toBe(403);
    expect((await team.observer.api.post(`${ws()}/goals/${goal.id}/milestones`, { title: "x" })).status).toBe(403);
  });

  it("answers 409 with the current version when an edit is based on a stale one", async () => {
    const first = await team.lead.api.patch(`${ws()}/goals/${goal.id}`, { baseVersion: 1, status: "at_risk" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "at_risk", version: 2 });
    const stale = await team.lead.api.patch(`${ws()}/goals/${goal.id}`, { baseVersion: 1, title: "Overwritten" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0]).toMatchObject({
      currentVersion: 2,
      current: { title: "Pre-register the pooled analysis", status: "at_risk" },
    });
    const staleMilestone = await team.contributor.api.patch(`${ws()}/goals/${goal.id}/milestones/${goal.milestones[0].id}`, {
      baseVersion: 1,
      done: false,
    });
    expect(staleMilestone.status).toBe(409);
    expect(staleMilestone.body.error.details[0]).toMatchObject({ currentVersion: 2, current: { done: true } });
  });

  it("lets the goal's owner change its status, and only its status", async () => {
    const handed = await team.lead.api.patch(`${ws()}/goals/${goal.id}`, { baseVersion: 2, ownerId: team.contributor.id });
    expect(handed.body.owner.id).toBe(team.contributor.id);
    const status = await team.contributor.api.patch(`${ws()}/goals/${goal.id}`, { baseVersion: 3, status: "on_track" });
    expect(status.status).toBe(200);
    const title = await team.contributor.api.patch(`${ws()}/goals/${goal.id}`, { baseVersion: 4, title: "Renamed" });
    expect(title.status).toBe(403);
  });

  it("records every change as an event", async () => {
    const trail = await team.observer.api.get(`${ws()}/events?limit=200`);
    const types = trail.body.items.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === "goal.created")).toHaveLength(1);
    expect(types.filter((t: string) => t === "goal.milestone_added")).toHaveLength(2);
    expect(types.filter((t: string) => t === "goal.milestone_updated")).toHaveLength(2);
    expect(types.filter((t: string) => t === "goal.updated")).toHaveLength(3);
    const tick = trail.body.items.find((e: { type: string }) => e.type === "goal.milestone_updated");
    expect(tick.payload).toMatchObject({ before: { done: false }, after: { done: true } });
  });
});

describe("a computed key result", () => {
  it("follows the workspace's data: a new study with a subgroup result moves studies_with_results", async () => {
    const created = await team.lead.api.post(`${ws()}/goals`, {
      title: "Results for the immuno-metabolic profile",
      milestones: [{ title: "Studies with CRP-subgroup results", metric: "studies_with_results", params: { subgroup: "crp" }, target: 2 }],
    });
    const goalId = created.body.id;
    expect(created.body.milestones[0]).toMatchObject({ computed: true, current: 0, effectiveTarget: 2, progress: 0 });

    const study = await team.contributor.api.post(`${ws()}/studies`, {
      title: "Raison 2013",
      arms: [{ name: "infliximab" }, { name: "placebo", class: "placebo" }],
      outcomes: [{ name: "Response", kind: "binary" }],
    });
    const result = await team.contributor.api.post(`${ws()}/results`, {
      studyId: study.body.id,
      outcomeId: study.body.outcomes[0].id,
      interventionArmId: study.body.arms[0].id,
      comparatorArmId: study.body.arms[1].id,
      subgroup: "hs-CRP > 5 mg/L",
      data: { type: "binary", intervention: { events: 8, n: 13 }, comparator: { events: 3, n: 9 } },
    });
    expect(result.status).toBe(201);
    const after = await team.observer.api.get(`${ws()}/goals/${goalId}`);
    expect(after.body.milestones[0]).toMatchObject({ current: 1, effectiveTarget: 2, progress: 0.5 });
    expect(after.body.progress).toBe(0.5);

    const dashboard = await team.lead.api.get(`${ws()}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.goals.find((g: { id: string }) => g.id === goalId).milestones[0].current).toBe(1);
  });

  it("for an unknown protocol or before any dataset counts nothing", async () => {
    const created = await team.lead.api.post(`${ws()}/goals`, {
      title: "Protocol and data",
      milestones: [
        { title: "Protocol approved", metric: "protocol_approved", params: { protocolId: "p-1" } },
        { title: "Datasets harmonised", metric: "datasets_harmonised" },
      ],
    });
    expect(created.status).toBe(201);
    for (const m of created.body.milestones) expect(m.current).toBe(0);
  });
});

describe("the dashboard", () => {
  it("lists overdue goals first with workspace health and recent activity, for every member but outsiders", async () => {
    await team.lead.api.post(`${ws()}/goals`, { title: "Slipped", dueDate: day(-2) });
    const dashboard = await team.observer.api.get(`${ws()}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.goals[0]).toMatchObject({ title: "Slipped", overdue: true });
    expect(dashboard.body.health).toMatchObject({ studies: 1, openCommentThreads: 0 });
    expect(dashboard.body.health.studiesWithoutData).toEqual([]);
    expect(dashboard.body.health.activeMembers.find((m: { userId: string }) => m.userId === team.lead.id).changes).toBeGreaterThan(0);
    expect(dashboard.body.recentActivity[0]).toMatchObject({ type: "goal.created" });
    expect((await team.outsider.api.get(`${ws()}/dashboard`)).status).toBe(404);
  });
});

describe("exports", () => {
  it("downloads goals.csv and goals.ics with their content types", async () => {
    const csv = await team.observer.api.get(`${ws()}/goals.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.body).toMatch(/^goal_id,goal,goal_status/);
    expect(csv.body).toContain("Analysis plan drafted");
    const ics = await team.observer.api.get(`${ws()}/goals.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(ics.body).toContain("BEGIN:VCALENDAR");
    expect(ics.body).toContain("SUMMARY:Goal due: Slipped");
    expect((await team.outsider.api.get(`${ws()}/goals.ics`)).status).toBe(404);
  });
});

describe("due-date reminders", () => {
  it("reach the owner once for a goal due soon and once for an overdue one, also after restarts", async () => {
    const soon = await team.lead.api.post(`${ws()}/goals`, { title: "Due in three days", dueDate: day(3), ownerId: team.contributor.id });
    const late = await team.lead.api.post(`${ws()}/goals`, { title: "Overdue report", dueDate: day(-5), ownerId: team.contributor.id });
    expect(soon.status).toBe(201);
    expect(late.status).toBe(201);
    // Reminders run when the server starts (and hourly after).
    await server.restart();
    const contributor = () => new ApiClient(server.url, team.contributor.token);
    const first = await contributor().get("/api/v1/me/notifications");
    const goalNotices = first.body.items.filter((n: { target: { id: string } }) => [soon.body.id, late.body.id].includes(n.target.id));
    expect(goalNotices.map((n: { kind: string }) => n.kind).sort()).toEqual(["goal.due_soon", "goal.overdue"]);
    expect(first.body.unreadCount).toBe(first.body.items.length);
    const total = first.body.items.length;

    await server.restart();
    const again = await contributor().get("/api/v1/me/notifications");
    expect(again.body.items).toHaveLength(total);

    // Reading one is the caller's business only.
    const id = goalNotices[0].id;
    expect((await new ApiClient(server.url, team.lead.token).post(`/api/v1/me/notifications/${id}/read`)).status).toBe(404);
    const read = await contributor().post(`/api/v1/me/notifications/${id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await contributor().get("/api/v1/me/notifications")).body.unreadCount).toBe(total - 1);
  });

  it("are not part of the audit trail", async () => {
    const trail = await new ApiClient(server.url, team.lead.token).get(`${ws()}/events?limit=500`);
    expect(trail.body.items.some((e: { type: string }) => e.type.includes("notif") || e.type.includes("remind"))).toBe(false);
  });
});
