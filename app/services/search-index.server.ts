/**
 * Keeping the search index: inside every write (writeTransaction calls
 * reindexTargets before it commits) and at start-up when it is empty
 * (docs/decisions/023-search.md). Apart from search.server.ts, which answers
 * queries, so the write path does not depend on the services that call it.
 */
import { transaction, type Transaction } from "#db/client.ts";
import { searchIndex, type SearchSource } from "#db/search-index.ts";
import type { EventType } from "#app/domain/events.ts";
import { allSources, entriesOf, sourcesOfEvent } from "./search-documents.server.ts";

/**
 * Inside a write's transaction, before it commits: replaces the index entries of
 * everything the write's events name, so the index changes with the thing or
 * not at all. Called by writeTransaction; services need nothing of their own.
 */
export async function reindexTargets(tx: Transaction, events: { type: EventType; target: { type: string; id: string } }[]): Promise<void> {
  const seen = new Set<string>();
  for (const event of events) {
    for (const source of await sourcesOfEvent(event, tx)) {
      const key = `${source.type}:${source.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await searchIndex().replaceSource(tx, source, await entriesOf(source, tx));
    }
  }
}

/**
 * Outside any write: replaces one source's entries with what the database
 * holds now, in a transaction of its own. For what changes without an event
 * (a live draft while people type). Not flushed to disk at commit: the index
 * is derived, and the next pause in typing writes it again.
 */
export async function reindexSource(source: SearchSource): Promise<void> {
  await transaction(async (tx) => searchIndex().replaceSource(tx, source, await entriesOf(source, tx)), { durable: false });
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
