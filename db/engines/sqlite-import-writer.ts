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
import type { DatasetRowInsert } from "./types.ts";

/** Why a write did not go through: the dataset is gone or no longer importing. */
export type ImportWriteOutcome = "written" | "gone";

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

  writeRows(rows: DatasetRowInsert[], leaseUntil: number): ImportWriteOutcome {
    if (rows.length === 0) return "written";
    return this.whileImporting(rows[0].datasetId, leaseUntil, () => {
      for (const row of rows) this.insertRow.run(row.datasetId, row.rowIndex, row.participantId, row.arm, row.valuesJson);
    });
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
