/**
 * Line-by-line comparison of two texts (two protocol versions, or your text
 * and the current one), with the changed words marked inside lines that were
 * edited rather than replaced. Uses the `diff` library's Myers diff.
 */
import { diffLines, diffWordsWithSpace } from "diff";

export interface DiffPart {
  text: string;
  /** True for words that differ from the paired line on the other side. */
  changed: boolean;
}

export interface DiffLine {
  kind: "same" | "added" | "removed";
  /** Line number in the old text (null for an added line). */
  oldNumber: number | null;
  /** Line number in the new text (null for a removed line). */
  newNumber: number | null;
  text: string;
  /** For an edited line: its words, the changed ones marked. */
  parts?: DiffPart[];
}

export interface TextDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Marks, in each of two paired lines, the words that differ. */
function wordParts(oldLine: string, newLine: string): { old: DiffPart[]; new: DiffPart[] } {
  const old: DiffPart[] = [];
  const added: DiffPart[] = [];
  for (const change of diffWordsWithSpace(oldLine, newLine)) {
    if (!change.added) old.push({ text: change.value, changed: change.removed });
    if (!change.removed) added.push({ text: change.value, changed: change.added });
  }
  return { old, new: added };
}

/** The two texts compared line by line; line endings are normalised first, so CRLF against LF is no change. */
export function diffTexts(oldText: string, newText: string): TextDiff {
  const normalise = (t: string) => t.replace(/\r\n?/g, "\n");
  const changes = diffLines(normalise(oldText), normalise(newText));
  const lines: DiffLine[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  let added = 0;
  let removed = 0;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    const texts = splitLines(change.value);
    if (change.removed) {
      // A removal directly followed by an addition is an edit: pair the lines to show the changed words.
      const next = changes[i + 1];
      const replacement = next?.added ? splitLines(next.value) : [];
      const removedLines: DiffLine[] = texts.map((text) => ({ kind: "removed", oldNumber: oldNumber++, newNumber: null, text }));
      const addedLines: DiffLine[] = replacement.map((text) => ({ kind: "added", oldNumber: null, newNumber: newNumber++, text }));
      for (let k = 0; k < Math.min(removedLines.length, addedLines.length); k++) {
        const parts = wordParts(removedLines[k].text, addedLines[k].text);
        removedLines[k].parts = parts.old;
        addedLines[k].parts = parts.new;
      }
      lines.push(...removedLines, ...addedLines);
      removed += removedLines.length;
      added += addedLines.length;
      if (next?.added) i++;
    } else if (change.added) {
      for (const text of texts) lines.push({ kind: "added", oldNumber: null, newNumber: newNumber++, text });
      added += texts.length;
    } else {
      for (const text of texts) lines.push({ kind: "same", oldNumber: oldNumber++, newNumber: newNumber++, text });
    }
  }
  return { lines, added, removed };
}

export interface DiffHunk {
  lines: DiffLine[];
  /** Unchanged lines left out before this hunk. */
  skippedBefore: number;
}

/**
 * The changed lines with `context` unchanged lines around each change; long
 * unchanged stretches in between are left out (and counted), as in a patch.
 */
export function diffHunks(diff: TextDiff, context = 3): { hunks: DiffHunk[]; skippedAfter: number } {
  const keep = new Array<boolean>(diff.lines.length).fill(false);
  diff.lines.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, index - context); k <= Math.min(diff.lines.length - 1, index + context); k++) keep[k] = true;
  });
  const hunks: DiffHunk[] = [];
  let skipped = 0;
  let current: DiffHunk | null = null;
  diff.lines.forEach((line, index) => {
    if (!keep[index]) {
      skipped++;
      current = null;
      return;
    }
    if (!current) {
      current = { lines: [], skippedBefore: skipped };
      hunks.push(current);
      skipped = 0;
    }
    current.lines.push(line);
  });
  return { hunks, skippedAfter: skipped };
}
