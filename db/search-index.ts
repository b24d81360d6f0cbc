/** The search index of the engine this process runs on (db/search/*.ts). */
import { connection, getDb } from "./client.ts";
import { postgresSearchIndex } from "./search/postgres.ts";
import { sqliteSearchIndex } from "./search/sqlite.ts";
import type { SearchIndexStore } from "./search/types.ts";

export type { SearchEntry, SearchHit, SearchIndexStore, SearchSource } from "./search/types.ts";

let store: { engine: string; index: SearchIndexStore } | undefined;

export function searchIndex(): SearchIndexStore {
  const { engine } = connection();
  if (store?.engine !== engine) {
    store = { engine, index: engine === "postgres" ? postgresSearchIndex(getDb) : sqliteSearchIndex(getDb) };
  }
  return store.index;
}
