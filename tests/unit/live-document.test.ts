import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  anchorRange,
  documentFromText,
  documentFromUpdates,
  editTowards,
  liveText,
  refuseUpdate,
  resolveRange,
  textOfUpdates,
} from "#app/domain/live-document.ts";

describe("a protocol's live document", () => {
  it("starts the same bytes from the same text on any process, so two starts merge into one text", () => {
    const a = Y.encodeStateAsUpdate(documentFromText("Draw blood."));
    const b = Y.encodeStateAsUpdate(documentFromText("Draw blood."));
    expect(a).toEqual(b);
    expect(textOfUpdates([a, b])).toBe("Draw blood.");
  });

  it("merges a text saved on an old state with what others typed since", () => {
    const base = Y.encodeStateAsUpdate(documentFromText("Draw blood.\nSpin.\n"));
    const live = documentFromUpdates([base]);
    liveText(live).insert(liveText(live).length, "Freeze.\n");
    const scriptEdit = editTowards(documentFromUpdates([base]), "Draw venous blood.\nSpin.\n");
    Y.applyUpdate(live, scriptEdit);
    expect(liveText(live).toString()).toBe("Draw venous blood.\nSpin.\nFreeze.\n");
  });

  it("refuses anything but an edit of the shared text", () => {
    const other = new Y.Doc();
    other.getMap("settings").set("font", "serif");
    expect(refuseUpdate(Y.encodeStateAsUpdate(other))).toMatch(/only the text/);
    expect(refuseUpdate(new Uint8Array([1, 2, 3, 4, 5, 6]))).toMatch(/not a Yjs update/);
    expect(refuseUpdate(Y.encodeStateAsUpdate(documentFromText("fine")))).toBeNull();
  });
});

describe("a comment anchored to words of the text", () => {
  const sentence = "Spin the tubes.";

  function anchored() {
    const doc = documentFromText(`# Sampling\n\n${sentence}\n`);
    const from = liveText(doc).toString().indexOf(sentence);
    return { doc, range: anchorRange(doc, from, from + sentence.length) };
  }

  it("stays on its words when text is written before them or at their edges", () => {
    const { doc, range } = anchored();
    liveText(doc).insert(0, "A new first paragraph.\n\n");
    const at = resolveRange(doc, range)!;
    expect(liveText(doc).toString().slice(at.from, at.to)).toBe(sentence);
    // Typing right after the last word or right before the first stays outside the range.
    liveText(doc).insert(at.to, " Gently.");
    liveText(doc).insert(at.from, "Then: ");
    const moved = resolveRange(doc, range)!;
    expect(liveText(doc).toString().slice(moved.from, moved.to)).toBe(sentence);
    expect(range.quote).toBe(sentence);
  });

  it("follows its words through an edit made elsewhere and merged in", () => {
    const { doc, range } = anchored();
    const elsewhere = documentFromUpdates([Y.encodeStateAsUpdate(doc)]);
    liveText(elsewhere).insert(0, "Edited on another screen.\n");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(elsewhere));
    const at = resolveRange(doc, range)!;
    expect(liveText(doc).toString().slice(at.from, at.to)).toBe(sentence);
  });

  it("says the text was removed once its words are deleted", () => {
    const { doc, range } = anchored();
    const from = liveText(doc).toString().indexOf(sentence);
    liveText(doc).delete(from, sentence.length);
    expect(resolveRange(doc, range)).toBeNull();
  });
});
