import { describe, expect, it } from "vitest";
import { EVENT_TYPES, isEventType } from "#app/domain/events.ts";

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
