/** Upload progress (a fraction), then an indeterminate bar while the server imports. */
export function UploadProgress({ phase, fraction }: { phase: "uploading" | "importing"; fraction: number | null }) {
  const percent = fraction === null ? null : Math.round(fraction * 100);
  const label =
    phase === "uploading" ? `Uploading${percent === null ? "…" : ` ${percent}%`}` : "Importing… checking every row and converting units";
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label={phase === "uploading" ? "Upload progress" : "Import progress"}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={phase === "uploading" && percent !== null ? percent : undefined}
        aria-valuetext={label}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        {phase === "uploading" && percent !== null ? (
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
