/**
 * The search index on SQLite: entries in `search_entries`, their words in the
 * FTS5 table `search_fts` under the same rowid. bm25 ranks a title word ten
 * times a body word.
 */
import { type SQL, sql } from "drizzle-orm";
import { fts5Match, searchWords } from "../../app/domain/search-text.ts";
import type { Db } from "../engines/types.ts";
import type { SearchFilter, SearchHit, SearchIndexStore } from "./types.ts";

interface SqliteRunner {
  run(query: SQL): unknown;
  all<T>(query: SQL): T[];
}
const on = (db: Db) => db as unknown as SqliteRunner;

const RANK = sql`bm25(search_fts, 10.0, 1.0)`;

function matching(filter: Omit<SearchFilter, "kind"> & { kind?: SearchFilter["kind"] }): SQL {
  return sql`search_fts match ${fts5Match(filter.words)} and e.workspace_id = ${filter.workspaceId}${
    filter.kind ? sql` and e.kind = ${filter.kind}` : sql``
  }`;
}

export function sqliteSearchIndex(reader: () => Db): SearchIndexStore {
  return {
    async replaceSource(tx, source, entries) {
      const db = on(tx);
      db.run(
        sql`delete from search_fts where rowid in (select id from search_entries where source_type = ${source.type} and source_id = ${source.id})`,
      );
      db.run(sql`delete from search_entries where source_type = ${source.type} and source_id = ${source.id}`);
      for (const e of entries) {
        const [row] = db.all<{ id: number }>(
          sql`insert into search_entries (workspace_id, source_type, source_id, kind, item_id, title, body, link)
              values (${e.workspaceId}, ${source.type}, ${source.id}, ${e.kind}, ${e.itemId}, ${e.title}, ${e.body}, ${e.link})
              returning id`,
        );
        db.run(sql`insert into search_fts (rowid, title, body) values (${row.id}, ${searchWords(e.title)}, ${searchWords(e.body)})`);
      }
    },
    async clear(tx) {
      on(tx).run(sql`delete from search_fts`);
      on(tx).run(sql`delete from search_entries`);
    },
    async isEmpty() {
      const db = on(reader());
      const entry = db.all(sql`select 1 from search_entries limit 1`);
      const words = db.all(sql`select 1 from search_fts limit 1`);
      return entry.length === 0 || words.length === 0;
    },
    async search(filter, offset, limit) {
      return on(reader()).all<SearchHit>(
        sql`select e.source_type as sourceType, e.kind as kind, e.item_id as itemId, e.title as title, e.body as body, e.link as link
            from search_fts join search_entries e on e.id = search_fts.rowid
            where ${matching(filter)}
            order by ${RANK}, e.id
            limit ${limit} offset ${offset}`,
      );
    },
    async countByKind(filter) {
      const rows = on(reader()).all<{ kind: SearchHit["kind"]; n: number }>(
        sql`select e.kind as kind, count(*) as n
            from search_fts join search_entries e on e.id = search_fts.rowid
            where ${matching(filter)}
            group by e.kind`,
      );
      return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    },
  };
}
