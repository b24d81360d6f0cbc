/**
 * Writing an import's source file and rows while its dataset is "importing"
 * (docs/decisions/021). On SQLite the import worker writes them itself, on a
 * connection of its own, while this process's transactions wait their turn:
 * better-sqlite3 is synchronous, and storing a 9 MB file or a chunk of rows
 * here held every other request (75–385 ms for the file on a loaded machine).
 * The worker writes the rows in one stretch of transactions and hands the turn
 * back as soon as another write of this process queues, so this thread does
 * nothing per row or per chunk and other writes wait at most ~100 rows.
 * On PostgreSQL the writes are asynchronous, so they stay on this thread, the
 * worker only serialising the rows. Either way each write renews the lease and
 * goes through only while the dataset is still importing.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { eq } from "drizzle-orm";
import { importWriterFile, insertDatasetRows, transaction, whileWritesHeld } from "#db/client.ts";
import { datasets, datasetSources } from "#db/schema.ts";
import { env } from "#app/env.server.ts";
import { notFound } from "./errors.server.ts";
import { type ParsedUpload, type RowToWrite, SOURCE_FILE } from "./dataset-parse-pool.server.ts";
import { loadStudy } from "./studies.server.ts";

/** How long an import stays alive without writing (IMPORT_LEASE_MS): only a stopped process lets it lapse. */
export const leaseFromNow = () => new Date(Date.now() + env().IMPORT_LEASE_MS);

export interface ImportWrites {
  /** The uploaded file as it came, beside the dataset. */
  source(): Promise<void>;
  /** Every row of the checked table, in order; `onSaved` hears how many are written so far. */
  rows(onSaved: (rowsWritten: number) => void): Promise<void>;
}

const gone = () => notFound("The study or the dataset was removed while it was being imported.");

export function importWrites(
  upload: ParsedUpload,
  /** `rowsPerChunk`: rows per transaction when the rows are written from this thread (PostgreSQL), one unnest statement each. */
  target: { workspaceId: string; studyId: string; datasetId: string; bytes: Buffer; rowCount: number; rowsPerChunk: number },
): ImportWrites {
  const file = importWriterFile();
  if (file) {
    const inWorker = (from: number, to: number, onSaved?: (rowsWritten: number) => void) =>
      whileWritesHeld(async (writersWaiting) => {
        const written = await upload.write(
          { file, datasetId: target.datasetId, from, to, leaseMs: env().IMPORT_LEASE_MS, writersWaiting },
          onSaved,
        );
        if (written.outcome === "gone") throw gone();
        return written.next;
      });
    return {
      source: async () => {
        await inWorker(SOURCE_FILE, SOURCE_FILE);
      },
      async rows(onSaved) {
        // Each turn writes until another write of this process queues; that one goes first, then the rest.
        for (let next = 0; next < target.rowCount; ) {
          next = await inWorker(next, target.rowCount, onSaved);
          onSaved(next);
        }
      },
    };
  }
  // Not flushed to disk at commit (durable: false): rows of an import still "importing" are safe to lose,
  // since a crash leaves an import that is discarded anyway; the commit that makes the dataset visible is.
  const here = (write: (tx: Parameters<Parameters<typeof transaction>[0]>[0]) => Promise<void>) =>
    transaction(
      async (tx) => {
        // The study (and with it this dataset) may have been deleted meanwhile: stop with its 404.
        await loadStudy(tx, target.workspaceId, target.studyId);
        await write(tx);
        // Still alive: no other process may take this import for an interrupted one.
        const renewed = await tx
          .update(datasets)
          .set({ leaseExpiresAt: leaseFromNow() })
          .where(eq(datasets.id, target.datasetId))
          .returning({ id: datasets.id });
        if (renewed.length !== 1) throw gone();
      },
      { durable: false },
    );
  const ask = (start: number) => {
    const rows = upload.rows(start, Math.min(start + target.rowsPerChunk, target.rowCount));
    // Settled here too: a chunk asked for ahead and never written (the import stopped) is no unhandled rejection.
    rows.catch(() => undefined);
    return rows;
  };
  return {
    source: () =>
      here(async (tx) => {
        await tx.insert(datasetSources).values({ datasetId: target.datasetId, content: target.bytes });
      }),
    async rows(onSaved) {
      // The worker serialises the next chunk while this one is written.
      let ahead: Promise<RowToWrite[]> | null = target.rowCount > 0 ? ask(0) : null;
      for (let start = 0; ahead; start += target.rowsPerChunk) {
        const rows = await ahead;
        const end = start + rows.length;
        ahead = end < target.rowCount ? ask(end) : null;
        await here((tx) =>
          insertDatasetRows(
            tx,
            rows.map((row, i) => ({ datasetId: target.datasetId, rowIndex: start + i, ...row })),
          ),
        );
        onSaved(end);
        const pause = env().IMPORT_TEST_PAUSE_PER_CHUNK_MS;
        await (pause > 0 ? new Promise((resolve) => setTimeout(resolve, pause)) : nextTurn());
      }
    },
  };
}
