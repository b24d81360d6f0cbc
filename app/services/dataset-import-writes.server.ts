/**
 * Writing an import's source file and rows while its dataset is "importing"
 * (docs/decisions/021). On SQLite the import worker writes them itself, on a
 * connection of its own, while this process's transactions wait their turn:
 * better-sqlite3 is synchronous, and storing a 9 MB file or a chunk of rows
 * here held every other request (75–385 ms for the file on a loaded machine).
 * On PostgreSQL the writes are asynchronous, so they stay on this thread, the
 * worker only serialising the rows. Either way each write renews the lease and
 * goes through only while the dataset is still importing.
 */
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
  /** Rows [start, end) of the checked table; chunks are written in order. */
  rows(start: number, end: number): Promise<void>;
}

const gone = () => notFound("The study or the dataset was removed while it was being imported.");

export function importWrites(
  upload: ParsedUpload,
  target: { workspaceId: string; studyId: string; datasetId: string; bytes: Buffer; rowCount: number },
): ImportWrites {
  const file = importWriterFile();
  if (file) {
    const inWorker = async (from: number, to: number) => {
      const outcome = await whileWritesHeld(() =>
        upload.write({ file, datasetId: target.datasetId, from, to, leaseUntil: leaseFromNow().getTime() }),
      );
      if (outcome === "gone") throw gone();
    };
    return { source: () => inWorker(SOURCE_FILE, SOURCE_FILE), rows: inWorker };
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
  // The worker serialises the next chunk while this one is written.
  let ahead: { start: number; rows: Promise<RowToWrite[]> } | null = null;
  const ask = (start: number, end: number) => {
    const rows = upload.rows(start, end);
    // Settled here too: a chunk asked for ahead and never written (the import stopped) is no unhandled rejection.
    rows.catch(() => undefined);
    return { start, rows };
  };
  return {
    source: () =>
      here(async (tx) => {
        await tx.insert(datasetSources).values({ datasetId: target.datasetId, content: target.bytes });
      }),
    async rows(start, end) {
      const chunk = ahead?.start === start ? ahead : ask(start, end);
      const rows = await chunk.rows;
      ahead = end < target.rowCount ? ask(end, Math.min(end + (end - start), target.rowCount)) : null;
      await here((tx) =>
        insertDatasetRows(
          tx,
          rows.map((row, i) => ({ datasetId: target.datasetId, rowIndex: start + i, ...row })),
        ),
      );
    },
  };
}
