/**
 * Workspace search: answering a member's query from their workspace only
 * (docs/decisions/023-search.md). The index is kept by search-index.server.ts.
 */
import { type SearchHit, searchIndex } from "#db/search-index.ts";
import { headingAt } from "#app/domain/markdown.ts";
import {
  buildSnippet,
  columnAnchor,
  firstMatchOffset,
  matchesQuery,
  matchRanges,
  type QueryWords,
  queryWords,
  type TextRange,
} from "#app/domain/search-text.ts";
import { SearchQuery } from "#app/schemas/search.ts";
import type { PublicUser } from "./accounts.server.ts";
import { validationFailed } from "./errors.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { PROTOCOL_DRAFT_SOURCE } from "./search-documents.server.ts";
import { parseInput } from "./validation.server.ts";

export interface SearchResult {
  kind: SearchHit["kind"];
  id: string;
  liveDraft: boolean;
  title: string;
  snippet: string;
  url: string;
  highlights: { title: TextRange[]; snippet: TextRange[] };
}

/** The place a hit links to: the protocol section or the dataset column that matched, where there is one. */
function placeOf(hit: SearchHit, words: QueryWords): string {
  // The draft's page is its editor, whose headings carry no anchors.
  if (hit.sourceType === PROTOCOL_DRAFT_SOURCE) return hit.link;
  if (hit.kind === "protocol") {
    const offset = firstMatchOffset(hit.body, words);
    const heading = offset === null ? null : headingAt(hit.body, offset);
    return heading ? `${hit.link}#${heading.id}` : hit.link;
  }
  if (hit.kind === "dataset") {
    const column = hit.body.split("\n").find((name) => matchesQuery(name, words));
    return column ? `${hit.link}#${columnAnchor(column)}` : hit.link;
  }
  return hit.link;
}

function toResult(hit: SearchHit, words: QueryWords): SearchResult {
  // A dataset's columns are kept a name a line; read as a list.
  const text = hit.kind === "dataset" ? hit.body.split("\n").join(" · ") : hit.body;
  const snippet = buildSnippet(text, words);
  return {
    kind: hit.kind,
    id: hit.itemId,
    liveDraft: hit.sourceType === PROTOCOL_DRAFT_SOURCE,
    title: hit.title,
    snippet: snippet.text,
    url: placeOf(hit, words),
    highlights: { title: matchRanges(hit.title, words), snippet: snippet.highlights },
  };
}

/**
 * A page of what matches `query` (q, kind, offset, limit) in one workspace, for
 * any member. 400 for an empty or over-long query, or one without a word to find.
 */
export async function searchWorkspace(actor: PublicUser, workspaceId: string, query: unknown) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { q, kind, offset, limit } = parseInput(SearchQuery, query);
  const words = queryWords(q);
  if (words.words.length === 0) {
    const message = "Search for at least one word: letters or digits.";
    throw validationFailed(message, [{ field: "q", message }]);
  }
  const hits = await searchIndex().search({ workspaceId, words, kind: kind ?? null }, offset, limit + 1);
  const counts = await searchIndex().countByKind({ workspaceId, words });
  return {
    items: hits.slice(0, limit).map((hit) => toResult(hit, words)),
    nextCursor: hits.length > limit ? String(offset + limit) : null,
    counts,
  };
}
