/**
 * PostgreSQL, for hosts that run several app processes (DATABASE_URL). Every
 * transaction is SERIALIZABLE: the version checks behind our 409s read and then
 * write, and only serialisable isolation keeps that safe when two processes do
 * it at once. PostgreSQL refuses one of two transactions that would interleave
 * badly (SQLSTATE 40001, or 40P01 for a deadlock); the helper runs it again, so
 * callers see the same all-or-nothing, one-at-a-time behaviour as on SQLite.
 */
import { fileURLToPath } from "node:url";
import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "../schema.ts";
import { withoutPassword } from "../engine.ts";
import type { DatasetRowInsert, Db, EngineConnection, TransactionOptions } from "./types.ts";

const migrationsFolder = fileURLToPath(new URL("../migrations/postgres", import.meta.url));

/** How often a transaction refused for a concurrent one is run again before the refusal is passed on. */
const MAX_ATTEMPTS = 12;
const RETRYABLE = new Set(["40001", "40P01"]);

/** Namespace of the two-key advisory locks that order each workspace's events (one-key locks are a separate space). */
const EVENT_FEED_LOCK = 1;

export interface PostgresOptions {
  /** Connections this process keeps open at most. */
  poolSize: number;
}

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 6)));

/** A PostgreSQL array literal of texts (NULL for null), every element quoted, so any text goes through unchanged. */
function arrayLiteral(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/[\\"]/g, "\\$&")}"`)).join(",")}}`;
}

export function openPostgres(url: string, options: PostgresOptions): EngineConnection {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize });
  // An idle connection that the server drops must not take the process down with it.
  pool.on("error", (error) => console.error("PostgreSQL connection lost:", error.message));
  const db = drizzle(pool, { schema });

  return {
    engine: "postgres",
    location: withoutPassword(url),
    db: db as unknown as Db,
    async transaction<T>(work: (tx: Db) => Promise<T>, transactionOptions: TransactionOptions = {}): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(
            async (tx) => {
              if (transactionOptions.durable === false) await tx.execute(sql`set local synchronous_commit = off`);
              return work(tx as unknown as Db);
            },
            { isolationLevel: "serializable" },
          );
        } catch (error) {
          const state = sqlState(error);
          if (!state || !RETRYABLE.has(state) || attempt >= MAX_ATTEMPTS) throw error;
          await pause(attempt);
        }
      }
    },
    async rows<T>(query: SQL, on?: Db): Promise<T[]> {
      const result = (await (on ?? db).execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    async insertDatasetRows(tx: Db, rows: DatasetRowInsert[]) {
      if (rows.length === 0) return;
      // One statement of five array parameters, unnested by the server: building a drizzle INSERT of
      // 500 rows × 5 parameters, each JSON cast, cost this thread more than the server took to store
      // them (docs/bench/import.md). The values arrive as JSON text and are cast once, server-side.
      await tx.execute(sql`insert into dataset_rows (dataset_id, row_index, participant_id, arm, "values")
        select * from unnest(${arrayLiteral(rows.map((r) => r.datasetId))}::text[], ${arrayLiteral(rows.map((r) => String(r.rowIndex)))}::int[],
          ${arrayLiteral(rows.map((r) => r.participantId))}::text[], ${arrayLiteral(rows.map((r) => r.arm))}::text[],
          ${arrayLiteral(rows.map((r) => r.valuesJson))}::json[])`);
    },
    importWriterFile: null,
    // Writers do not queue behind each other here: nobody ever waits on an import's turn.
    whileWritesHeld: (work) => work(new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))),
    async lockEventFeed(tx: Db, workspaceId: string) {
      // Held until commit: the next writer of this workspace's events takes its id after this one
      // is visible, so ids of one workspace become visible in order (docs/decisions/018).
      await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_FEED_LOCK}, hashtext(${workspaceId}))`);
    },
    async exclusively<T>(name: string, work: () => Promise<T>) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock(hashtext($1)) as locked", [name]);
        if (!rows[0]?.locked) return undefined;
        try {
          return await work();
        } finally {
          await client.query("select pg_advisory_unlock(hashtext($1))", [name]);
        }
      } finally {
        client.release();
      }
    },
    async migrate() {
      // Processes starting together migrate one after the other; the later ones find nothing to do.
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock(hashtext('consilience:migrate'))");
        try {
          await migrate(db, { migrationsFolder });
        } finally {
          await client.query("select pg_advisory_unlock(hashtext('consilience:migrate'))");
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
