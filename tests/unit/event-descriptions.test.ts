/**
 * The activity feed's sentences come from each event's payload. The fixtures
 * are typed by EventPayloads, the same map the services are checked against
 * when they record, so a sentence that reads a field its event does not carry
 * shows up here as a blank in the text.
 */
import { describe, expect, it } from "vitest";
import { describeEvent } from "#app/domain/event-descriptions.ts";
import type { CommentView } from "#app/domain/comments.ts";
import { EVENT_TYPES, type EventPayloads, type EventType, type PublicEvent } from "#app/domain/events.ts";

function event<T extends EventType>(type: T, payload: EventPayloads[T]): PublicEvent {
  return {
    id: "7",
    workspaceId: "ws-1",
    type,
    actor: { id: "u-1", name: "Ada Lovelace" },
    target: { type: "thing", id: "t-1" },
    payload,
    createdAt: "2026-11-27T10:00:00.000Z",
  } as PublicEvent;
}

const biomarker = { id: "b-1", code: "CRP" };

describe("describing events for the activity feed", () => {
  it("names the panel a new panel was created as", () => {
    // panel.created records the panel's `name` (panel.updated and panel.imported say `panel`).
    const created = event("panel.created", { name: "Inflammation core", version: 1, biomarkers: 4, fromDefault: true });
    expect(describeEvent(created)).toBe("created the biomarker panel “Inflammation core”");
  });

  it("says which biomarker of which panel changed, and which fields", () => {
    const base = { panel: "Inflammation core", version: 3 };
    expect(
      describeEvent(event("panel.updated", { ...base, change: "biomarker_added", biomarker, before: null, after: { code: "CRP" } })),
    ).toBe("added CRP to the panel “Inflammation core”");
    expect(
      describeEvent(
        event("panel.updated", {
          ...base,
          change: "biomarker_updated",
          biomarker,
          fields: ["unit", "max"],
          before: { unit: "mg/dL" },
          after: { unit: "mg/L" },
        }),
      ),
    ).toBe("changed CRP in the panel “Inflammation core” (unit, max)");
    expect(
      describeEvent(event("panel.updated", { ...base, change: "details", before: { name: "Core" }, after: { name: "Inflammation core" } })),
    ).toBe("edited the name or description of the panel “Inflammation core”");
  });

  it("tells an approval from a rename, and says both when one change did both", () => {
    const approved = event("protocol.updated", {
      title: "hs-CRP SOP",
      version: 3,
      before: { status: "draft" },
      after: { status: "approved" },
    });
    expect(describeEvent(approved)).toBe("approved version 3 of “hs-CRP SOP”");
    const both = event("protocol.updated", {
      title: "hs-CRP SOP",
      version: 3,
      before: { title: "CRP SOP", status: "approved" },
      after: { title: "hs-CRP SOP", status: "draft" },
    });
    expect(describeEvent(both)).toBe("renamed “CRP SOP” to “hs-CRP SOP” and changed “hs-CRP SOP” from approved to draft");
  });

  it("tells a reply from a new thread, from the comment the event carries", () => {
    const comment: CommentView = {
      id: "c-2",
      workspaceId: "ws-1",
      target: { type: "dataset", id: "d-1", anchor: { row: 3, column: "crp" } },
      parentId: "c-1",
      body: "Checked",
      bodyHtml: "<p>Checked</p>",
      author: { id: "u-1", name: "Ada Lovelace" },
      createdAt: "2026-11-27T10:00:00.000Z",
      editedAt: null,
      deleted: false,
      resolvedAt: null,
      resolvedBy: null,
      version: 1,
    };
    expect(describeEvent(event("comment.created", { comment, mentions: [] }))).toBe("replied in a thread on a dataset");
    expect(describeEvent(event("comment.created", { comment: { ...comment, parentId: null }, mentions: [] }))).toBe(
      "commented on a dataset",
    );
  });

  it("says a milestone was ticked only when it went from open to done", () => {
    const milestone = {
      title: "First 50 participants",
      metric: "checkbox" as const,
      params: {},
      target: null,
      value: null,
      done: false,
      ownerId: null,
      dueDate: null,
    };
    const payload = { goalId: "g-1", goal: "Recruitment", milestoneId: "m-1", version: 2 };
    expect(describeEvent(event("goal.milestone_updated", { ...payload, before: milestone, after: { ...milestone, done: true } }))).toBe(
      "ticked the milestone “First 50 participants”",
    );
    expect(describeEvent(event("goal.milestone_updated", { ...payload, before: milestone, after: { ...milestone, value: 12 } }))).toBe(
      "updated the milestone “First 50 participants”",
    );
  });

  it("describes a fork from the side of the workspace it is recorded in", () => {
    expect(describeEvent(event("protocol.forked", { direction: "out", title: "hs-CRP SOP", version: 2 }))).toBe(
      "forked version 2 of “hs-CRP SOP” into another workspace",
    );
    const into = event("protocol.forked", {
      direction: "in",
      title: "hs-CRP SOP",
      forkedFromProtocolId: "p-1",
      forkedFromWorkspaceId: "ws-0",
      forkedFromVersion: 2,
    });
    expect(describeEvent(into)).toBe("forked “hs-CRP SOP” into this workspace from another workspace");
  });

  it("counts the columns an import converted to the panel's units", () => {
    const imported = event("dataset.imported", {
      studyId: "s-1",
      name: "baseline labs",
      version: 2,
      kind: "participant",
      rowCount: 120,
      conversions: [{ column: "crp_mgdl", biomarker: "CRP", from: "mg/dL", to: "mg/L" }],
    });
    expect(describeEvent(imported)).toBe(
      "imported version 2 of the dataset “baseline labs” (120 rows, 1 column converted to the panel's units)",
    );
  });

  it("still describes events the trail kept from before their payload had every field", () => {
    const withEmptyPayload = (type: EventType) => ({ ...event("user.registered", {}), type }) as PublicEvent;
    for (const type of Object.keys(EVENT_TYPES) as EventType[]) {
      expect(() => describeEvent(withEmptyPayload(type)), type).not.toThrow();
    }
    expect(describeEvent(withEmptyPayload("study.updated"))).toBe("edited the study “” (version )");
  });

  it("falls back to the vocabulary's phrase for events without their own sentence", () => {
    expect(describeEvent(event("user.registered", {}))).toBe("signed up");
    expect(describeEvent(event("audit.exported", { format: "csv" }))).toBe("exported the audit trail");
  });
});
