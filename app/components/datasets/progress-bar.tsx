import { type DatasetImportProgress, importFraction } from "#app/domain/dataset-import-progress.ts";

const count = (n: number) => n.toLocaleString("en");

function importLabel(progress: DatasetImportProgress | null): string {
  if (!progress) return "Importing… waiting for the server to start reading the file";
  if (progress.stage === "checking") return `Checking… ${count(progress.rowsChecked)} rows read and checked`;
  const total = progress.rowCount ?? progress.rowsChecked;
  if (progress.stage === "saving") return `Saving… ${count(progress.rowsWritten)} of ${count(total)} rows written`;
  return `Imported: ${count(total)} rows checked and written`;
}

/**
 * Upload progress (a fraction of the bytes sent), then the server's own
 * progress while it imports: rows read and checked, then written, as the
 * server reports them over the live channel. Until its first report the bar
 * waits without a number.
 */
export function UploadProgress({
  phase,
  fraction,
  importing,
}: {
  phase: "uploading" | "importing";
  fraction: number | null;
  importing: DatasetImportProgress | null;
}) {
  const percent =
    phase === "uploading"
      ? fraction === null
        ? null
        : Math.round(fraction * 100)
      : importing
        ? Math.round(importFraction(importing) * 100)
        : null;
  const label = phase === "uploading" ? `Uploading${percent === null ? "…" : ` ${percent}%`}` : importLabel(importing);
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label={phase === "uploading" ? "Upload progress" : "Import progress"}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={label}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        {percent !== null ? (
          <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
        ) : (
          <div className="h-full w-1/3 animate-pulse rounded bg-brand-500" />
        )}
      </div>
      <p className="text-sm text-slate-600" aria-live="polite">
        {label}
      </p>
    </div>
  );
}
