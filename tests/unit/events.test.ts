import { describe, expect, it } from "vitest";
import { EVENT_TYPES, isEventType } from "#app/domain/events.ts";
import type { NewEvent } from "#app/services/events.server.ts";

describe("isEventType", () => {
  it("recognises every type in the event vocabulary", () => {
    const types = Object.keys(EVENT_TYPES);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(isEventType(type), type).toBe(true);
  });

  it("recognises the kinds of change the audit trail records", () => {
    for (const type of ["user.registered", "workspace.created", "member.joined", "member.removed", "audit.exported"]) {
      expect(isEventType(type), type).toBe(true);
    }
  });

  it("refuses unknown or misspelt types", () => {
    for (const value of ["workspace.deleted", "Workspace.Created", "member", "", " member.joined", "member.joined "]) {
      expect(isEventType(value), JSON.stringify(value)).toBe(false);
    }
  });

  it("refuses names an object inherits, like toString or __proto__", () => {
    for (const value of ["toString", "__proto__", "constructor", "hasOwnProperty", "valueOf"]) {
      expect(isEventType(value), value).toBe(false);
    }
  });

  it("refuses values that are not strings", () => {
    for (const value of [null, undefined, 1, {}, ["user.registered"], true]) expect(isEventType(value)).toBe(false);
  });

  it("describes every type with a phrase for the audit trail", () => {
    for (const [type, phrase] of Object.entries(EVENT_TYPES)) {
      expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(phrase.trim().length, type).toBeGreaterThan(0);
    }
  });
});

describe("the payload each type of event carries", () => {
  // Checked by the type checker (`npm run typecheck`): each line below must stay an error.
  it("refuses, when a service records an event, a payload that does not match its type", () => {
    const recorded: NewEvent[] = [
      // @ts-expect-error user.renamed carries the name before and after
      { workspaceId: null, actorId: "u", type: "user.renamed", target: { type: "user", id: "u" }, payload: { before: "Ada" } },
      // @ts-expect-error member.role_changed carries roles, not any string
      {
        workspaceId: "w",
        actorId: "u",
        type: "member.role_changed",
        target: { type: "user", id: "v" },
        payload: { name: "Ben", before: "observer", after: "boss" },
      },
      // @ts-expect-error a comment event carries the comment
      { workspaceId: "w", actorId: "u", type: "comment.resolved", target: { type: "comment", id: "c" }, payload: {} },
      // @ts-expect-error a type outside the vocabulary
      { workspaceId: "w", actorId: "u", type: "workspace.deleted", target: { type: "workspace", id: "w" } },
      { workspaceId: null, actorId: "u", type: "user.registered", target: { type: "user", id: "u" } },
    ];
    expect(recorded).toHaveLength(5);
  });
});
