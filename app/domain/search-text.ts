/**
 * Workspace search, the pure part: how text becomes words, how a query
 * becomes an engine's match expression, and how a snippet marks what matched.
 *
 * Both engines index and query the words `searchWords` gives, so "Köhler"
 * and "kohler" are the same word on SQLite and PostgreSQL alike, whether or not
 * PostgreSQL has the `unaccent` extension. A query is reduced to such words
 * before it reaches an engine: no quote, operator or bracket a user types can
 * reach FTS5's or tsquery's syntax.
 */

export const SEARCH_KINDS = ["protocol", "comment", "study", "dataset", "biomarker", "profile", "goal"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** The longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** Words of a query beyond this many are ignored (each one costs the engine a lookup). */
export const MAX_QUERY_WORDS = 12;

/** A stretch of a string that matched, in UTF-16 code units (JavaScript string indices). */
export interface TextRange {
  start: number;
  length: number;
}

export interface Snippet {
  text: string;
  highlights: TextRange[];
}

/** A query's words, in order; the last one also matches as a prefix (the user may still be typing it). */
export interface QueryWords {
  words: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** One character as search compares it: compatibility-decomposed, without combining marks, lower case. */
function foldChar(char: string): string {
  return char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Text as search compares it: "Köhler ﬁbre" → "kohler fibre". */
export function normaliseForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The words of a text as both engines index them, separated by single spaces. */
export function searchWords(text: string): string {
  return (normaliseForSearch(text).match(WORD) ?? []).join(" ");
}

/** A query's words, or an empty list when it has no letter or digit. */
export function queryWords(query: string): QueryWords {
  return { words: (normaliseForSearch(query).match(WORD) ?? []).slice(0, MAX_QUERY_WORDS) };
}

/**
 * The FTS5 MATCH expression: every word, the last as a prefix. Words hold only
 * letters and digits, and each is quoted, so the expression is always valid.
 */
export function fts5Match({ words }: QueryWords): string {
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(" ");
}

/** The PostgreSQL to_tsquery text: every word, the last as a prefix (words hold only letters and digits). */
export function tsQueryText({ words }: QueryWords): string {
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(" & ");
}

/** Whether a word of the text matches a query word: exactly, or by prefix for the last one. */
function wordMatches(word: string, { words }: QueryWords): boolean {
  return words.some((w, i) => word === w || (i === words.length - 1 && word.startsWith(w)));
}

/** The ranges of `text` whose words match the query, in order. */
export function matchRanges(text: string, query: QueryWords): TextRange[] {
  if (query.words.length === 0) return [];
  // Fold character by character so each folded position maps back to the original text.
  let folded = "";
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    const f = foldChar(char);
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += char.length;
  }
  origin.push(text.length);
  const ranges: TextRange[] = [];
  for (const match of folded.matchAll(WORD)) {
    if (!wordMatches(match[0], query)) continue;
    const start = origin[match.index];
    const endFolded = match.index + match[0].length;
    // The end is where the next original character starts.
    let end = origin[endFolded];
    if (end === start) end = start + 1;
    ranges.push({ start, length: end - start });
  }
  return ranges;
}

/** Whether any word of `text` matches the query. */
export function matchesQuery(text: string, query: QueryWords): boolean {
  return matchRanges(text, query).length > 0;
}

/** Where the first matching word of `text` starts, or null. */
export function firstMatchOffset(text: string, query: QueryWords): number | null {
  return matchRanges(text, query)[0]?.start ?? null;
}

const CONTEXT_BEFORE = 40;

/**
 * A short stretch of `text` around its first match (or its start), with runs of
 * white space made single spaces and the matching words marked by range. The
 * text stays plain: whoever shows it escapes it and marks the ranges.
 */
export function buildSnippet(text: string, query: QueryWords, maxLength = 180): Snippet {
  const all = matchRanges(text, query);
  let start = 0;
  if (all.length > 0 && all[0].start > CONTEXT_BEFORE) {
    start = all[0].start - CONTEXT_BEFORE;
    // Start at a word boundary.
    const space = text.slice(start, all[0].start).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  let end = Math.min(text.length, start + maxLength);
  if (end < text.length) {
    const lastSpace = text.slice(start, end).search(/\s\S*$/);
    if (lastSpace > 0) end = start + lastSpace;
  }
  const inWindow = all.filter((r) => r.start >= start && r.start + r.length <= end);
  let out = start > 0 ? "…" : "";
  const highlights: TextRange[] = [];
  let at = start;
  const plain = (s: string) => s.replace(/\s+/g, " ");
  for (const r of inWindow) {
    out += plain(text.slice(at, r.start));
    const word = plain(text.slice(r.start, r.start + r.length));
    highlights.push({ start: out.length, length: word.length });
    out += word;
    at = r.start + r.length;
  }
  out += plain(text.slice(at, end));
  if (end < text.length) out += "…";
  // Leading white space would shift every range; trim it and move them.
  const lead = out.length - out.trimStart().length;
  return {
    text: out.trim(),
    highlights: highlights.map((h) => ({ start: h.start - lead, length: h.length })),
  };
}

/** A text cut into plain and matching pieces by its ranges: what a page renders, escaping each piece. */
export function highlightPieces(text: string, ranges: TextRange[]): { text: string; match: boolean }[] {
  const pieces: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < at || r.start + r.length > text.length) continue;
    if (r.start > at) pieces.push({ text: text.slice(at, r.start), match: false });
    pieces.push({ text: text.slice(r.start, r.start + r.length), match: true });
    at = r.start + r.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}

/** The anchor of a dataset column on the dataset page. */
export function columnAnchor(name: string): string {
  return `column-${encodeURIComponent(name.trim().toLowerCase().replace(/\s+/g, "-"))}`;
}

/** The anchor of a comment on the page of what it is about. */
export function commentAnchor(commentId: string): string {
  return `comment-${commentId}`;
}
