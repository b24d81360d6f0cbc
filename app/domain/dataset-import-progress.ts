/**
 * How far a dataset import has come, as the uploader's page is told over the
 * live channel: the rows the server has read, checked and written, while it
 * works. Pure, shared by the server (which sends it) and the page (which
 * draws it).
 */

export interface DatasetImportProgress {
  /** The id the page sent with its upload, so it knows which import this is. */
  uploadId: string;
  stage: "checking" | "saving" | "done";
  rowsRead: number;
  rowsChecked: number;
  rowsWritten: number;
  /** The file's data rows: known once every row is checked. */
  rowCount: number | null;
  /** How much of the file the parser has been given (0–1); null when the reader cannot say (XLSX). */
  fileShare: number | null;
}

/** What an upload id may be: the page makes one up (a UUID); anything else is not relayed. */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Checking and saving take about the same time for a plain CSV (tests/bench/import.ts),
 * so each is half of the bar. A workbook's reading has no known end: its half stays
 * empty until every row is checked, while the counts still move.
 */
const CHECKING_SHARE = 0.5;

/** The import's progress as a fraction of the whole (0–1). */
export function importFraction(progress: DatasetImportProgress): number {
  if (progress.stage === "done") return 1;
  if (progress.stage === "saving") {
    const written = progress.rowCount ? progress.rowsWritten / progress.rowCount : 0;
    return CHECKING_SHARE + (1 - CHECKING_SHARE) * Math.min(1, written);
  }
  return CHECKING_SHARE * Math.min(1, progress.fileShare ?? 0);
}
