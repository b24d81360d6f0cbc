/**
 * Workspace search: keeping the index current inside every write, rebuilding it
 * when it is empty, and answering a member's query from their workspace only
 * (docs/decisions/023-search.md).
 */
import { transaction, type Transaction } from "#db/client.ts";
import { type SearchHit, searchIndex, type SearchSource } from "#db/search-index.ts";
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
import { allSources, entriesOf, sourceOfTarget } from "./search-documents.server.ts";
import { parseInput } from "./validation.server.ts";

/**
 * Inside a write's transaction, before it commits: replaces the index entries of
 * everything the write's events name, so the index changes with the thing or
 * not at all. Called by writeTransaction; services need nothing of their own.
 */
export async function reindexTargets(tx: Transaction, targets: { type: string; id: string }[]): Promise<void> {
  const seen = new Set<string>();
  for (const target of targets) {
    const source = await sourceOfTarget(target, tx);
    if (!source) continue;
    const key = `${source.type}:${source.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await searchIndex().replaceSource(tx, source, await entriesOf(source, tx));
  }
}

async function reindexAll(tx: Transaction, sources: SearchSource[]): Promise<number> {
  await searchIndex().clear(tx);
  for (const source of sources) await searchIndex().replaceSource(tx, source, await entriesOf(source, tx));
  return sources.length;
}

/**
 * At start-up: builds the index from the database when it holds nothing (a new
 * migration, a copied or restored database). A look at one row otherwise.
 */
export async function ensureSearchIndex(): Promise<number> {
  if (!(await searchIndex().isEmpty())) return 0;
  return transaction(async (tx) => reindexAll(tx, await allSources(tx)));
}

export interface SearchResult {
  kind: SearchHit["kind"];
  id: string;
  title: string;
  snippet: string;
  url: string;
  highlights: { title: TextRange[]; snippet: TextRange[] };
}

/** The place a hit links to: the protocol section or the dataset column that matched, where there is one. */
function placeOf(hit: SearchHit, words: QueryWords): string {
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
