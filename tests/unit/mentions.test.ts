import { describe, expect, it } from "vitest";
import { mentionedUserIds, mentionQueryAt, mentionsAsMarkdown, mentionToken } from "#app/domain/mentions.ts";

describe("mentions", () => {
  it("finds each mentioned member once, in order", () => {
    const body = `${mentionToken("Dr. Ada", "abc")} and ${mentionToken("Ben", "def")}, again ${mentionToken("Dr. Ada", "abc")}`;
    expect(mentionedUserIds(body)).toEqual(["abc", "def"]);
  });

  it("shows a mention as a bold @name: the member's current name, never the label the author typed", () => {
    const names = new Map([["abc", "Dr. Ada"]]);
    expect(mentionsAsMarkdown(`hi ${mentionToken("Dr. Ada", "abc")}!`, (id) => names.get(id))).toBe("hi **@Dr\\. Ada**!");
    expect(mentionsAsMarkdown("hi @[The Lead](mention:abc)!", (id) => names.get(id))).toBe("hi **@Dr\\. Ada**!");
  });

  it("shows a mention of someone who is not a member as @unknown", () => {
    expect(mentionsAsMarkdown("hi @[The Lead](mention:zzz)", () => undefined)).toBe("hi **@unknown**");
  });

  it("writes a member's name as text, even when it looks like markdown", () => {
    const name = "[click](javascript:alert(1)) **bold**";
    expect(mentionsAsMarkdown("@[x](mention:abc)", () => name)).toBe("**@\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\*\\*bold\\*\\***");
  });

  it("keeps brackets in a name from breaking the token", () => {
    expect(mentionToken("Ada [PI]", "abc")).toBe("@[Ada PI](mention:abc)");
  });

  it("knows when the caret is in a mention being typed", () => {
    expect(mentionQueryAt("hello @ma", 9)).toBe("ma");
    expect(mentionQueryAt("@", 1)).toBe("");
    expect(mentionQueryAt("email@example", 13)).toBeNull();
    expect(mentionQueryAt("hello ma", 8)).toBeNull();
  });
});
