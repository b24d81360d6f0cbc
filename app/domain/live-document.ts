/**
 * A protocol's live document: a Yjs CRDT whose shared text, the `Y.Text`
 * named "body", is the protocol's markdown (docs/decisions/024). Pure code on
 * encoded states and updates, used alike by the server (storing, merging an
 * API save) and the browser (the editor, anchored comments).
 */
import { diffChars } from "diff";
import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";

/** The name of the document's shared text, part of the live channel's contract (docs/api.md). */
export const LIVE_TEXT = "body";

export const encodeUpdate = (update: Uint8Array): string => toBase64(update);
export const decodeUpdate = (base64: string): Uint8Array => fromBase64(base64);

/** The shared text of a document. */
export const liveText = (doc: Y.Doc): Y.Text => doc.getText(LIVE_TEXT);

/**
 * A document holding `text`, written by the fixed client id 0: two processes
 * that start the same protocol's draft at the same moment produce the same
 * bytes, so the copy that loses the race merges into nothing instead of
 * doubling the text.
 */
export function documentFromText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 0;
  liveText(doc).insert(0, text);
  // Later edits made by this copy (an API save) must not share client id 0 with other copies' edits.
  doc.clientID = new Y.Doc().clientID;
  return doc;
}

/** A document loaded from encoded updates (a snapshot and those appended after it, in any order). */
export function documentFromUpdates(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** The text of the state the updates add up to. */
export function textOfUpdates(updates: Uint8Array[]): string {
  return liveText(documentFromUpdates(updates)).toString();
}

/**
 * Edits the document's text into `target` with the fewest character inserts
 * and deletes, and answers the update that carries them. Applied to a copy of
 * an older state, the update merges into a newer one like any concurrent
 * edit: the way a script's saved text joins a draft others kept editing.
 */
export function editTowards(doc: Y.Doc, target: string): Uint8Array {
  const text = liveText(doc);
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    let at = 0;
    for (const part of diffChars(text.toString(), target)) {
      if (part.removed) text.delete(at, part.value.length);
      else if (part.added) {
        text.insert(at, part.value);
        at += part.value.length;
      } else at += part.value.length;
    }
  });
  return Y.encodeStateAsUpdate(doc, before);
}

/** Why an update cannot be taken, or null when it is a well-formed edit of the shared text only. */
export function refuseUpdate(update: Uint8Array): string | null {
  let structs: ReturnType<typeof Y.decodeUpdate>["structs"];
  try {
    structs = Y.decodeUpdate(update).structs;
  } catch {
    return "The update is not a Yjs update.";
  }
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // An item names its parent only when its neighbours cannot tell it: then it must be the shared text itself.
    const parent: unknown = struct.parent;
    if (parent !== null && parent !== LIVE_TEXT) return `A live protocol holds only the text "${LIVE_TEXT}".`;
    if (struct.parentSub !== null) return `A live protocol holds only the text "${LIVE_TEXT}".`;
  }
  return null;
}

/**
 * Where a comment points in the live text, kept as Yjs relative positions so
 * it moves with the words around it; `quote` is the text it was written on,
 * shown when that text has since been removed.
 */
export interface TextRange {
  start: string;
  end: string;
  quote: string;
}

/** A range of the text as relative positions (base64), for a comment's anchor. */
export function anchorRange(doc: Y.Doc, from: number, to: number): TextRange {
  const text = liveText(doc);
  const position = (index: number, assoc: number) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc)));
  // The start sticks to the character after it and the end to the one before, so typing at either edge stays outside.
  return { start: position(from, 0), end: position(to, -1), quote: text.toString().slice(from, to) };
}

/** Where an anchored range is now, or null when its text has been deleted. */
export function resolveRange(doc: Y.Doc, range: Pick<TextRange, "start" | "end">): { from: number; to: number } | null {
  try {
    const absolute = (encoded: string) =>
      Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(encoded)), doc)?.index ?? null;
    const from = absolute(range.start);
    const to = absolute(range.end);
    if (from === null || to === null || to <= from) return null;
    return { from, to };
  } catch {
    return null;
  }
}
