/**
 * Relays an import's progress to the uploader's live connection (their user
 * room, on every process through the adapter), at most every RELAY_EVERY_MS:
 * enough for a bar to move smoothly, few enough messages that a long import
 * costs the socket nothing. The first and the last message always go out.
 * Without an upload id (an API client that does not ask) nothing is sent.
 */
import type { DatasetImportProgress } from "#app/domain/dataset-import-progress.ts";
import type { ParseProgress } from "./dataset-parsing.server.ts";
import { publishImportProgress } from "./realtime-hub.server.ts";

const RELAY_EVERY_MS = 250;

export class ImportProgressRelay {
  private sentAt = -Infinity;
  private readonly progress: DatasetImportProgress;

  constructor(
    private readonly userId: string,
    uploadId: string | undefined,
  ) {
    this.progress = {
      uploadId: uploadId ?? "",
      stage: "checking",
      rowsRead: 0,
      rowsChecked: 0,
      rowsWritten: 0,
      rowCount: null,
      fileShare: 0,
    };
    this.enabled = uploadId !== undefined;
  }

  private readonly enabled: boolean;

  checking(parse: ParseProgress): void {
    this.update({ rowsRead: parse.rowsRead, rowsChecked: parse.rowsChecked, fileShare: parse.fileShare });
  }

  /** Every row is checked: from here the count to reach is known. */
  checked(rowCount: number): void {
    this.update(
      { stage: "saving", rowsRead: Math.max(this.progress.rowsRead, rowCount), rowsChecked: rowCount, rowCount, fileShare: 1 },
      true,
    );
  }

  saving(rowsWritten: number): void {
    this.update({ rowsWritten });
  }

  done(): void {
    this.update({ stage: "done", rowsWritten: this.progress.rowCount ?? this.progress.rowsWritten }, true);
  }

  private update(change: Partial<DatasetImportProgress>, now = false): void {
    Object.assign(this.progress, change);
    if (!this.enabled) return;
    const time = performance.now();
    if (!now && time - this.sentAt < RELAY_EVERY_MS) return;
    this.sentAt = time;
    publishImportProgress({ userId: this.userId, progress: { ...this.progress } });
  }
}
