/**
 * The search index on PostgreSQL: one table with a tsvector of the normalised
 * words (the 'simple' configuration: no stemming, no stop words, the same words
 * SQLite indexes), the title weighted A and the rest D; ts_rank's weights make
 * a title word count twenty times a body word.
 */
import { type SQL, sql } from "drizzle-orm";
import { searchWords, tsQueryText } from "../../app/domain/search-text.ts";
import type { Db } from "../engines/types.ts";
import type { SearchFilter, SearchHit, SearchIndexStore } from "./types.ts";

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

function matching(filter: Omit<SearchFilter, "kind"> & { kind?: SearchFilter["kind"] }): SQL {
  return sql`document @@ to_tsquery('simple', ${tsQueryText(filter.words)}) and workspace_id = ${filter.workspaceId}${
    filter.kind ? sql` and kind = ${filter.kind}` : sql``
  }`;
}

export function postgresSearchIndex(reader: () => Db): SearchIndexStore {
  return {
    async replaceSource(tx, source, entries) {
      await tx.execute(sql`delete from search_entries where source_type = ${source.type} and source_id = ${source.id}`);
      for (const e of entries) {
        await tx.execute(
          sql`insert into search_entries (workspace_id, source_type, source_id, kind, item_id, title, body, link, document)
              values (${e.workspaceId}, ${source.type}, ${source.id}, ${e.kind}, ${e.itemId}, ${e.title}, ${e.body}, ${e.link},
                setweight(to_tsvector('simple', ${searchWords(e.title)}), 'A') || setweight(to_tsvector('simple', ${searchWords(e.body)}), 'D'))`,
        );
      }
    },
    async clear(tx) {
      await tx.execute(sql`delete from search_entries`);
    },
    async isEmpty() {
      return (await rows(reader(), sql`select 1 from search_entries limit 1`)).length === 0;
    },
    async search(filter, offset, limit) {
      return rows<SearchHit>(
        reader(),
        sql`select source_type as "sourceType", kind, item_id as "itemId", title, body, link
            from search_entries
            where ${matching(filter)}
            order by ts_rank('{0.05, 0.1, 0.2, 1.0}', document, to_tsquery('simple', ${tsQueryText(filter.words)})) desc, id
            limit ${limit} offset ${offset}`,
      );
    },
    async countByKind(filter) {
      const counted = await rows<{ kind: SearchHit["kind"]; n: string | number }>(
        reader(),
        sql`select kind, count(*) as n from search_entries where ${matching(filter)} group by kind`,
      );
      return Object.fromEntries(counted.map((r) => [r.kind, Number(r.n)]));
    },
  };
}
