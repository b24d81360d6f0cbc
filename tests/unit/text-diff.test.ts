import { describe, expect, it } from "vitest";
import { diffHunks, diffTexts } from "#app/domain/text-diff.ts";

describe("diffTexts", () => {
  it("reports no change for equal texts, whatever their line endings", () => {
    const diff = diffTexts("a\nb\n", "a\r\nb\r\n");
    expect(diff.added).toBe(0);
    expect(diff.removed).toBe(0);
    expect(diff.lines.every((l) => l.kind === "same")).toBe(true);
  });

  it("numbers lines on both sides and counts additions and removals", () => {
    const diff = diffTexts("one\ntwo\nthree\n", "one\nthree\nfour\n");
    expect(diff.lines).toEqual([
      { kind: "same", oldNumber: 1, newNumber: 1, text: "one" },
      { kind: "removed", oldNumber: 2, newNumber: null, text: "two" },
      { kind: "same", oldNumber: 3, newNumber: 2, text: "three" },
      { kind: "added", oldNumber: null, newNumber: 3, text: "four" },
    ]);
    expect(diff).toMatchObject({ added: 1, removed: 1 });
  });

  it("marks the changed words of an edited line on both sides", () => {
    const diff = diffTexts("Centrifuge at 1500 g for 10 minutes.", "Centrifuge at 2000 g for 10 minutes.");
    const [removed, added] = diff.lines;
    expect(removed.kind).toBe("removed");
    expect(removed.parts?.filter((p) => p.changed).map((p) => p.text)).toEqual(["1500"]);
    expect(added.parts?.filter((p) => p.changed).map((p) => p.text)).toEqual(["2000"]);
    expect(added.parts?.map((p) => p.text).join("")).toBe(added.text);
  });

  it("handles texts without a final newline and empty texts", () => {
    expect(diffTexts("", "new").lines).toEqual([{ kind: "added", oldNumber: null, newNumber: 1, text: "new" }]);
    expect(diffTexts("old", "").lines).toEqual([{ kind: "removed", oldNumber: 1, newNumber: null, text: "old" }]);
    expect(diffTexts("", "").lines).toEqual([]);
  });
});

describe("diffHunks", () => {
  it("keeps context around changes and counts the unchanged lines left out", () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const edited = old.replace("line 10", "line ten");
    const { hunks, skippedAfter } = diffHunks(diffTexts(old, edited), 2);
    expect(hunks).toHaveLength(1);
    expect(hunks[0].skippedBefore).toBe(7);
    expect(hunks[0].lines.map((l) => l.text)).toEqual(["line 8", "line 9", "line 10", "line ten", "line 11", "line 12"]);
    expect(skippedAfter).toBe(8);
  });

  it("joins changes whose context overlaps into one hunk", () => {
    const old = "a\nb\nc\nd\ne\nf\n";
    const { hunks } = diffHunks(diffTexts(old, "A\nb\nc\nd\ne\nF\n"), 2);
    expect(hunks).toHaveLength(1);
  });
});
