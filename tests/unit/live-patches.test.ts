/** How pages apply events to what they hold, and which loaders a burst of events makes stale. */
import { describe, expect, it } from "vitest";
import type { ShouldRevalidateFunctionArgs } from "@remix-run/react";
import type { EventType, PublicEvent } from "#app/domain/events.ts";
import { patchActivity } from "#app/realtime/patches/activity.ts";
import { milestoneNeedsMeasuring, patchGoal } from "#app/realtime/patches/goals.ts";
import { patchMembersPage, patchWorkspaceLayout } from "#app/realtime/patches/members.ts";
import { patchProtocolHeader } from "#app/realtime/patches/protocol-header.ts";
import { patchesStudyPage, patchStudyPage } from "#app/realtime/patches/study-page.ts";
import { aboutStudy, family, nothingLive, revalidateForEvents, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

let nextId = 100;
function event<T extends EventType>(type: T, target: { type: string; id: string }, payload: unknown): PublicEvent {
  return {
    id: String(nextId++),
    workspaceId: "ws",
    type,
    actor: { id: "lead", name: "Lead" },
    target,
    payload,
    createdAt: "2026-12-01T10:00:00.000Z",
  } as PublicEvent;
}

const members = [
  { userId: "ada", name: "Ada", role: "contributor" as const },
  { userId: "lead", name: "Lead", role: "lead" as const },
];
const layout = {
  workspace: { id: "ws", name: "Consortium", description: "", role: "contributor" as const },
  me: { id: "ada" },
  members,
  latestEventId: "1",
};

describe("the workspace's roster and the caller's role", () => {
  it("a role change updates the roster, and the caller's own role when it is theirs", () => {
    const next = patchWorkspaceLayout(
      layout,
      event("member.role_changed", { type: "user", id: "ada" }, { name: "Ada", before: "contributor", after: "observer" }),
    );
    expect(next.members.find((m) => m.userId === "ada")?.role).toBe("observer");
    expect(next.workspace.role).toBe("observer");
  });

  it("a join adds the member in name order; a removal takes them out; other events change nothing", () => {
    const joined = patchWorkspaceLayout(
      layout,
      event("member.joined", { type: "user", id: "bo" }, { role: "observer", invitationId: "inv", name: "Bo" }),
    );
    expect(joined.members.map((m) => m.name)).toEqual(["Ada", "Bo", "Lead"]);
    const removed = patchWorkspaceLayout(joined, event("member.removed", { type: "user", id: "bo" }, { name: "Bo", role: "observer" }));
    expect(removed.members.map((m) => m.name)).toEqual(["Ada", "Lead"]);
    expect(patchWorkspaceLayout(layout, event("study.created", { type: "study", id: "s" }, { title: "T", arms: [] }))).toBe(layout);
  });

  it("the members page drops an invitation once it is used, and keeps someone else's role change off the caller", () => {
    const page = {
      workspace: { name: "C", description: "", role: "lead" as const },
      me: "lead",
      members,
      invitations: [{ id: "inv" }, { id: "other" }],
    };
    const joined = patchMembersPage(
      page,
      event("member.joined", { type: "user", id: "bo" }, { role: "observer", invitationId: "inv", name: "Bo" }),
    );
    expect(joined.invitations).toEqual([{ id: "other" }]);
    const changed = patchMembersPage(
      page,
      event("member.role_changed", { type: "user", id: "ada" }, { name: "Ada", before: "contributor", after: "lead" }),
    );
    expect(changed.workspace.role).toBe("lead");
    expect(changed.members[0].role).toBe("lead");
  });
});

describe("goals patched from their events", () => {
  const milestone = {
    id: "m1",
    title: "Panel agreed",
    metric: "checkbox" as const,
    target: null,
    value: null,
    done: false,
    current: 0,
    effectiveTarget: 1,
    progress: 0,
    owner: null,
    dueDate: null,
    version: 1,
  };
  const counted = {
    ...milestone,
    id: "m2",
    title: "Studies with results",
    metric: "studies_with_results" as const,
    current: 1,
    effectiveTarget: 4,
    progress: 0.25,
  };
  const goal = {
    id: "g",
    title: "Harmonise",
    description: "",
    owner: null,
    dueDate: "2026-12-10",
    status: "on_track" as const,
    version: 3,
    progress: 0.125,
    overdue: false,
    dueSoon: false,
    milestones: [milestone, counted],
  };
  const tick = (version: number, done: boolean) =>
    event(
      "goal.milestone_updated",
      { type: "goal", id: "g" },
      {
        goalId: "g",
        goal: "Harmonise",
        milestoneId: "m1",
        version,
        before: { ...milestone, ownerId: null, params: {}, done: !done },
        after: { ...milestone, ownerId: null, params: {}, done },
      },
    );

  it("a tick measures the key result and moves the goal's progress as the server would", () => {
    const next = patchGoal(goal, tick(2, true), "2026-12-01", () => undefined);
    expect(next.milestones[0]).toMatchObject({ done: true, current: 1, progress: 1, version: 2 });
    expect(next.progress).toBeCloseTo((1 + 0.25) / 2);
  });

  it("an older event than the page's own data changes nothing (a replay after a reload)", () => {
    const newer = { ...goal, milestones: [{ ...milestone, version: 5 }, counted] };
    expect(patchGoal(newer, tick(2, true), "2026-12-01", () => undefined)).toBe(newer);
  });

  it("a status change to done makes the goal complete and no longer due soon; a new owner is named from the roster", () => {
    const updated = event(
      "goal.updated",
      { type: "goal", id: "g" },
      {
        version: 4,
        before: { title: "Harmonise", description: "", ownerId: null, dueDate: "2026-12-03", status: "on_track" },
        after: { title: "Harmonise", description: "", ownerId: "ada", dueDate: "2026-12-03", status: "done" },
      },
    );
    const next = patchGoal(goal, updated, "2026-12-01", (id) => (id === "ada" ? "Ada" : undefined));
    expect(next).toMatchObject({ status: "done", progress: 1, dueSoon: false, owner: { id: "ada", name: "Ada" }, version: 4 });
  });

  it("a computed key result whose definition changed must be measured by the server", () => {
    const retargeted = event(
      "goal.milestone_updated",
      { type: "goal", id: "g" },
      {
        goalId: "g",
        goal: "Harmonise",
        milestoneId: "m2",
        version: 2,
        before: { ...counted, ownerId: null, params: {}, target: 4 },
        after: { ...counted, ownerId: null, params: {}, target: 6 },
      },
    );
    expect(milestoneNeedsMeasuring(retargeted)).toBe(true);
    expect(milestoneNeedsMeasuring(tick(2, true))).toBe(false);
  });
});

describe("the activity list", () => {
  const first = event("study.created", { type: "study", id: "s" }, { title: "T", arms: [] });
  it("grows at the top on its newest page, for the kind it is filtered to, and never twice", () => {
    const page = { items: [first], nextCursor: null };
    const comment = event("comment.resolved", { type: "comment", id: "c" }, { comment: {} });
    const grown = patchActivity(page, comment, { type: null, newest: true });
    expect(grown.items.map((e) => e.id)).toEqual([comment.id, first.id]);
    expect(patchActivity(grown, comment, { type: null, newest: true })).toBe(grown);
    expect(patchActivity(page, comment, { type: "study.created", newest: true })).toBe(page);
    expect(patchActivity(page, comment, { type: null, newest: false })).toBe(page);
  });
});

describe("which loaders a burst of events reloads", () => {
  const url = new URL("http://localhost/workspaces/ws/studies/s1");
  const args = (overrides: Partial<ShouldRevalidateFunctionArgs> = {}): ShouldRevalidateFunctionArgs => ({
    currentUrl: url,
    currentParams: { workspaceId: "ws", studyId: "s1" },
    nextUrl: url,
    nextParams: { workspaceId: "ws", studyId: "s1" },
    defaultShouldRevalidate: true,
    ...overrides,
  });
  /** What the route answers when the live hook revalidates for `events`. */
  function answerFor(shouldRevalidate: ReturnType<typeof revalidateOnLiveEvents>, events: PublicEvent[], overrides = {}) {
    let answer: boolean | undefined;
    revalidateForEvents(events, () => {
      answer = shouldRevalidate(args(overrides));
    });
    return answer;
  }
  const studyPage = revalidateOnLiveEvents(aboutStudy);
  const imported = (studyId: string) => event("dataset.imported", { type: "dataset", id: "d" }, { studyId });

  it("a study page reloads for its own study's dataset, not for another study's, nor for comments", () => {
    expect(answerFor(studyPage, [imported("s1")])).toBe(true);
    expect(answerFor(studyPage, [imported("s2")])).toBe(false);
    expect(answerFor(studyPage, [event("comment.created", { type: "comment", id: "c" }, { comment: {}, mentions: [] })])).toBe(false);
  });

  it("the root and workspace loaders never reload for events; navigations and submissions keep Remix's default", () => {
    const layout = revalidateOnLiveEvents(nothingLive);
    expect(answerFor(layout, [imported("s1"), event("member.removed", { type: "user", id: "x" }, { name: "X", role: "observer" })])).toBe(
      false,
    );
    expect(answerFor(layout, [imported("s1")], { formMethod: "POST" })).toBe(true);
    expect(answerFor(layout, [imported("s1")], { nextUrl: new URL("http://localhost/workspaces/ws/goals") })).toBe(true);
    // Outside a live revalidation the route answers Remix's default.
    expect(layout(args())).toBe(true);
    expect(revalidateOnLiveEvents(family("goal."))(args({ defaultShouldRevalidate: false }))).toBe(false);
  });
});

describe("a protocol's header", () => {
  const ada = { id: "ada", name: "Ada" };
  const header = {
    protocol: {
      id: "p1",
      title: "Ketamine infusion",
      status: "approved" as const,
      version: 2,
      approvedVersion: 2,
      approvedBy: ada,
      approvedAt: "2026-11-30T10:00:00.000Z",
      currentAuthor: ada,
      currentAt: "2026-11-30T09:00:00.000Z",
    },
    draft: { sinceVersion: 2, editedBy: [ada], editedAt: "2026-12-01T09:00:00.000Z" },
  };
  const about = { type: "protocol", id: "p1" };

  it("a saved version moves the version, the author and the status, and starts the draft again", () => {
    const next = patchProtocolHeader(
      header,
      event("protocol.version_added", about, {
        title: "Ketamine infusion",
        version: 3,
        previousVersion: 2,
        note: null,
        before: { status: "approved" },
        after: { status: "draft" },
      }),
    );
    expect(next.protocol).toMatchObject({ version: 3, status: "draft", approvedVersion: 2, currentAuthor: { id: "lead" } });
    expect(next.draft).toEqual({ sinceVersion: 3, editedBy: [], editedAt: null });
  });

  it("a version the header already shows, replayed, changes nothing", () => {
    const replayed = event("protocol.version_added", about, { title: "Ketamine infusion", version: 2, previousVersion: 1, note: null });
    expect(patchProtocolHeader(header, replayed)).toBe(header);
  });

  it("a rename and an approval change the title and who approved which version", () => {
    const renamed = patchProtocolHeader(
      header,
      event("protocol.updated", about, {
        title: "Esketamine",
        version: 2,
        before: { title: "Ketamine infusion" },
        after: { title: "Esketamine" },
      }),
    );
    expect(renamed.protocol.title).toBe("Esketamine");
    const approved = patchProtocolHeader(
      { ...header, protocol: { ...header.protocol, status: "draft" as const, version: 3 } },
      event("protocol.updated", about, {
        title: "Ketamine infusion",
        version: 3,
        before: { status: "draft" },
        after: { status: "approved" },
      }),
    );
    expect(approved.protocol).toMatchObject({ status: "approved", approvedVersion: 3, approvedBy: { id: "lead", name: "Lead" } });
  });

  it("a spell of draft editing puts its author first among the draft's editors", () => {
    const next = patchProtocolHeader(header, event("protocol.draft_edited", about, { title: "Ketamine infusion", sinceVersion: 2 }));
    expect(next.draft.editedBy.map((p) => p.id)).toEqual(["lead", "ada"]);
  });

  it("events about another protocol leave the header alone", () => {
    const other = event(
      "protocol.updated",
      { type: "protocol", id: "p2" },
      { title: "X", version: 1, before: { title: "Y" }, after: { title: "X" } },
    );
    expect(patchProtocolHeader(header, other)).toBe(header);
  });
});

describe("a study's results", () => {
  const shown = { id: "r1", studyId: "s1", version: 2, notes: "As published" };
  const page = {
    study: { id: "s1", version: 1 },
    datasets: [] as { id: string; name: string; version: number; rowCount: number }[],
    results: [shown],
  };
  const about = { type: "result", id: "r1" };
  const created = (result: typeof shown) =>
    event(
      "result.created",
      { type: "result", id: result.id },
      { studyId: result.studyId, study: "S", intervention: "A", comparator: "B", subgroup: "", result },
    );

  it("a new result of the study joins the list, and one of another study does not", () => {
    expect(patchStudyPage(page, created({ id: "r2", studyId: "s1", version: 1, notes: "" })).results.map((r) => r.id)).toEqual([
      "r1",
      "r2",
    ]);
    expect(patchStudyPage(page, created({ id: "r3", studyId: "s2", version: 1, notes: "" }))).toBe(page);
  });

  it("an edit replaces the result, and an older edit replayed afterwards changes nothing", () => {
    const edit = (version: number, notes: string) =>
      event("result.updated", about, { version, before: shown, after: { ...shown, version, notes } } as never);
    const next = patchStudyPage(page, edit(3, "Corrected SD"));
    expect(next.results[0].notes).toBe("Corrected SD");
    expect(patchStudyPage(next, edit(2, "As published"))).toBe(next);
  });

  it("only events that carry what the page shows, or that it does not show, spare the study page a reload", () => {
    expect(patchesStudyPage(created({ id: "r2", studyId: "s1", version: 1, notes: "" }))).toBe(true);
    const fromBefore = event("result.created", about, { studyId: "s1", study: "S", intervention: "A", comparator: "B", subgroup: "" });
    expect(patchesStudyPage(fromBefore)).toBe(false);
    expect(patchesStudyPage(event("site_summary.uploaded", { type: "site_summary", id: "x1" }, {}))).toBe(false);
  });
});

describe("a study page's study and datasets", () => {
  const page = {
    study: { id: "s1", version: 2, title: "Raison 2013", population: "Outpatients" },
    datasets: [
      { id: "d1", name: "Baseline", version: 1, rowCount: 60 },
      { id: "d2", name: "Week 12", version: 1, rowCount: 58 },
    ],
    results: [] as { id: string; studyId: string; version: number }[],
  };
  const imported = (id: string, studyId: string, name: string, version: number) =>
    event("dataset.imported", { type: "dataset", id }, { studyId, name, version, kind: "participant", rowCount: 61, conversions: [] });

  it("a new version of a dataset takes its row; a new dataset joins in name order; another study's leaves the page alone", () => {
    expect(patchStudyPage(page, imported("d3", "s1", "Baseline", 2)).datasets.map((d) => `${d.name} v${d.version}`)).toEqual([
      "Baseline v2",
      "Week 12 v1",
    ]);
    expect(patchStudyPage(page, imported("d4", "s1", "Follow-up", 1)).datasets.map((d) => d.name)).toEqual([
      "Baseline",
      "Follow-up",
      "Week 12",
    ]);
    expect(patchStudyPage(page, imported("d5", "s2", "Baseline", 2))).toBe(page);
  });

  it("a study edit changes its fields and version; an older edit replayed changes nothing", () => {
    const edit = (version: number, population: string) =>
      event("study.updated", { type: "study", id: "s1" }, { version, before: {}, after: { title: "Raison 2013", population } } as never);
    const next = patchStudyPage(page, edit(3, "Outpatients, two sites"));
    expect(next.study).toMatchObject({ version: 3, population: "Outpatients, two sites" });
    expect(patchStudyPage(next, edit(2, "Outpatients"))).toBe(next);
  });
});
