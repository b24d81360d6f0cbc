/**
 * The workspace search index as each engine keeps it (SQLite FTS5, PostgreSQL
 * tsvector): one interface, so app/services/search.server.ts never asks which
 * engine it runs on. The tables come from hand-written migrations and stay out
 * of the drizzle schema: they are derived data, rebuilt when empty, and copies
 * and exports of a database leave them out.
 */
import type { QueryWords, SearchKind } from "../../app/domain/search-text.ts";
import type { Db } from "../engines/types.ts";

/** What re-indexing replaces as a whole: one protocol, one panel (all its biomarkers), one study (with its datasets)… */
export interface SearchSource {
  type: string;
  id: string;
}

/** One searchable thing. `title` and `body` are kept as written (for snippets); the engine indexes their words. */
export interface SearchEntry {
  workspaceId: string;
  kind: SearchKind;
  itemId: string;
  title: string;
  body: string;
  /** The page where the thing is, without a fragment (the service adds the section or column that matched). */
  link: string;
}

export interface SearchHit {
  /** The source the entry was indexed from (a protocol's saved text and its live draft are two sources). */
  sourceType: string;
  kind: SearchKind;
  itemId: string;
  title: string;
  body: string;
  link: string;
}

export interface SearchFilter {
  workspaceId: string;
  words: QueryWords;
  kind: SearchKind | null;
}

export interface SearchIndexStore {
  /** Inside `tx`: removes the source's entries and writes `entries` in their place. */
  replaceSource(tx: Db, source: SearchSource, entries: SearchEntry[]): Promise<void>;
  /** Inside `tx`: removes every entry (before a rebuild). */
  clear(tx: Db): Promise<void>;
  /** Whether the index holds nothing: a cheap look at one row of each table. */
  isEmpty(): Promise<boolean>;
  /** Matching entries of one workspace, best first. */
  search(filter: SearchFilter, offset: number, limit: number): Promise<SearchHit[]>;
  /** How many entries of one workspace match, by kind. */
  countByKind(filter: Omit<SearchFilter, "kind">): Promise<Partial<Record<SearchKind, number>>>;
}
