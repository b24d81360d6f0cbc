import { describe, expect, it } from "vitest";
import { headingAt } from "#app/domain/markdown.ts";
import {
  buildSnippet,
  fts5Match,
  highlightPieces,
  MAX_QUERY_WORDS,
  matchRanges,
  normaliseForSearch,
  queryWords,
  searchWords,
  tsQueryText,
} from "#app/domain/search-text.ts";

const marked = (text: string, ranges: { start: number; length: number }[]) => ranges.map((r) => text.slice(r.start, r.start + r.length));

describe("normalising text for search", () => {
  it("drops accents and case, and unfolds compatibility characters, the same for index and query", () => {
    expect(normaliseForSearch("Köhler Ångström ﬁbre ÉCOLE")).toBe("kohler angstrom fibre ecole");
    expect(searchWords("Müller–Lyer (CRP ≥ 3 mg/L)")).toBe("muller lyer crp 3 mg l");
    expect(queryWords("  KÖHLER,   müller ").words).toEqual(["kohler", "muller"]);
  });

  it("keeps only letters and digits of a query, and at most a dozen words", () => {
    expect(queryWords('"unclosed AND (x OR y*) NEAR:3 -- ;').words).toEqual(["unclosed", "and", "x", "or", "y", "near", "3"]);
    expect(queryWords("!!! ---").words).toEqual([]);
    expect(queryWords("w ".repeat(40)).words).toHaveLength(MAX_QUERY_WORDS);
  });
});

describe("engine match expressions", () => {
  it("quotes every FTS5 word and lets the last match as a prefix", () => {
    expect(fts5Match(queryWords('crp "AND" inflam'))).toBe('"crp" "and" "inflam"*');
  });

  it("joins tsquery words with & and lets the last match as a prefix", () => {
    expect(tsQueryText(queryWords("crp & | inflam:*"))).toBe("crp & inflam:*");
  });
});

describe("marking matches", () => {
  it("finds accented words from an unaccented query, at their place in the original text", () => {
    const text = "Dr. Köhler and KÖHLERS notes";
    expect(marked(text, matchRanges(text, queryWords("kohler")))).toEqual(["Köhler", "KÖHLERS"]);
    // Only the last word matches as a prefix.
    expect(marked(text, matchRanges(text, queryWords("kohler notes")))).toEqual(["Köhler", "notes"]);
    expect(marked(text, matchRanges(text, queryWords("koh notes")))).toEqual(["notes"]);
  });

  it("keeps ranges right when a decomposed accent sits in the text", () => {
    const text = "Pre\u0301le\u0300vement sanguin"; // accents written as combining marks
    expect(marked(text, matchRanges(text, queryWords("prelevement")))).toEqual([text.slice(0, text.indexOf(" "))]);
  });

  it("cuts a snippet around the first match, with single spaces and marks at the words", () => {
    const text = `${"Lorem ipsum dolor sit amet. ".repeat(10)}Keep   the\ntocilizumab vials cold. ${"More words follow here. ".repeat(20)}`;
    const snippet = buildSnippet(text, queryWords("tocilizumab"), 100);
    expect(snippet.text.startsWith("…")).toBe(true);
    expect(snippet.text.endsWith("…")).toBe(true);
    expect(snippet.text).toContain("Keep the tocilizumab vials");
    expect(marked(snippet.text, snippet.highlights)).toEqual(["tocilizumab"]);
  });

  it("starts a snippet at the beginning when nothing in the text matches", () => {
    expect(buildSnippet("Short text.", queryWords("absent"))).toEqual({ text: "Short text.", highlights: [] });
  });

  it("gives plain pieces to render, markup included as text", () => {
    const text = "<b>crp</b> & crp";
    expect(highlightPieces(text, matchRanges(text, queryWords("crp")))).toEqual([
      { text: "<b>", match: false },
      { text: "crp", match: true },
      { text: "</b> & ", match: false },
      { text: "crp", match: true },
    ]);
  });
});

describe("the protocol section of a match", () => {
  it("names the heading before the offset, with the id the rendered page gives it", () => {
    const body = "Intro text.\n\n# Sampling\n\nDraw blood.\n\n## Storage\n\nFreeze it.\n\n## Storage\n\nAgain: vials.";
    expect(headingAt(body, body.indexOf("Intro"))).toBeNull();
    expect(headingAt(body, body.indexOf("Draw"))?.id).toBe("sampling");
    expect(headingAt(body, body.indexOf("Freeze"))?.id).toBe("storage");
    expect(headingAt(body, body.indexOf("vials"))?.id).toBe("storage-1");
  });
});
