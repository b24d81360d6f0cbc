/**
 * An import's bulk writes on SQLite, from the import worker thread on a
 * connection of its own (docs/decisions/021). better-sqlite3 is synchronous:
 * storing a 9 MB source file took 75–385 ms and 2,000 rows 60–330 ms on the
 * thread that answers every request, so they are written here instead. SQLite
 * lets one connection write at a time; the main thread lends this one its turn
 * (`whileWritesHeld`), so neither ever waits on the other's lock.
 *
 * Every write goes through only while the dataset is still "importing" (it
 * renews the lease in the same transaction): a dataset removed meanwhile, or
 * its study deleted, stops the import instead of writing orphans.
 */
import Database from "better-sqlite3";

/** Why a write did not go through: the dataset is gone or no longer importing. */
export type ImportWriteOutcome = "written" | "gone";

/** The checked rows, read one at a time in the form they are stored (no object per row). */
export interface ImportRowSource {
  participantId(i: number): string | null;
  arm(i: number): string | null;
  valuesJson(i: number): string;
}

/**
 * Rows per transaction at most. Each commit rewrites the table's last pages to the WAL, so 500-row
 * transactions cost a third more than 2,000-row ones (docs/bench/import.md); other writers do not
 * wait for a whole transaction, since it ends early once one of them queues (`othersWaiting`).
 */
const ROWS_PER_TRANSACTION = 2000;
/** How often, in rows, a transaction looks whether another writer waits. */
const ROWS_BETWEEN_LOOKS = 100;

export class SqliteImportWriter {
  private readonly db: Database.Database;
  private readonly renewLease: Database.Statement;
  private readonly insertRow: Database.Statement;
  private readonly insertSource: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    // Rows of an import still "importing" are safe to lose; the main thread's final, durable commit
    // that makes the dataset visible flushes the WAL, and these frames with it.
    this.db.pragma("synchronous = NORMAL");
    this.renewLease = this.db.prepare("UPDATE datasets SET lease_expires_at = ? WHERE id = ? AND status = 'importing'");
    this.insertRow = this.db.prepare(
      'INSERT INTO dataset_rows (dataset_id, row_index, participant_id, arm, "values") VALUES (?, ?, ?, ?, ?)',
    );
    this.insertSource = this.db.prepare("INSERT INTO dataset_sources (dataset_id, content) VALUES (?, ?)");
  }

  /** The uploaded file as it came, beside the dataset. */
  writeSource(datasetId: string, content: Uint8Array, leaseUntil: number): ImportWriteOutcome {
    return this.whileImporting(datasetId, leaseUntil, () => {
      this.insertSource.run(datasetId, Buffer.from(content.buffer, content.byteOffset, content.byteLength));
    });
  }

  /**
   * Writes rows [from, to) of `rows`, as rows `from`… of the dataset, in transactions of up to
   * ROWS_PER_TRANSACTION; after any commit, and inside a transaction every ROWS_BETWEEN_LOOKS rows
   * (committing what it has), it stops once `othersWaiting()` says another writer waits. Returns
   * where it stopped: the caller lets the others write, then asks for the rest.
   */
  writeRows(
    datasetId: string,
    rows: ImportRowSource,
    range: { from: number; to: number },
    lease: () => number,
    othersWaiting: () => boolean,
    onWritten: (next: number) => void = () => {},
  ): { outcome: ImportWriteOutcome; next: number } {
    let next = range.from;
    while (next < range.to) {
      const end = Math.min(next + ROWS_PER_TRANSACTION, range.to);
      const outcome = this.whileImporting(datasetId, lease(), () => {
        for (let i = next; i < end; i++) {
          this.insertRow.run(datasetId, i, rows.participantId(i), rows.arm(i), rows.valuesJson(i));
          // Checked after the row, so every transaction writes at least one: an import always moves on.
          if ((i + 1 - range.from) % ROWS_BETWEEN_LOOKS === 0 && i + 1 < end && othersWaiting()) {
            next = i + 1;
            return;
          }
        }
        next = end;
      });
      if (outcome === "gone") return { outcome, next };
      onWritten(next);
      if (othersWaiting()) break;
    }
    return { outcome: "written", next };
  }

  close(): void {
    this.db.close();
  }

  private whileImporting(datasetId: string, leaseUntil: number, write: () => void): ImportWriteOutcome {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      if (this.renewLease.run(leaseUntil, datasetId).changes !== 1) {
        this.db.exec("ROLLBACK");
        return "gone";
      }
      write();
      this.db.exec("COMMIT");
      return "written";
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }
}
