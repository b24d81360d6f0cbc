/** Inline and side-by-side views of a text diff (app/domain/text-diff.ts). */
import { diffHunks, type DiffLine, type TextDiff } from "#app/domain/text-diff.ts";

const ROW: Record<DiffLine["kind"], string> = {
  same: "text-slate-700",
  added: "bg-emerald-50 text-emerald-950",
  removed: "bg-red-50 text-red-950",
};
const MARK: Record<DiffLine["kind"], string> = { same: " ", added: "+", removed: "−" };
const WORD: Record<DiffLine["kind"], string> = { same: "", added: "bg-emerald-200", removed: "bg-red-200 line-through" };

function LineText({ line }: { line: DiffLine }) {
  const content = line.parts
    ? line.parts.map((part, i) =>
        part.changed ? (
          <span key={i} className={`rounded-sm ${WORD[line.kind]}`}>
            {part.text}
          </span>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )
    : line.text;
  if (line.kind === "added") return <ins className="no-underline">{content}</ins>;
  if (line.kind === "removed") return <del className="no-underline">{content}</del>;
  return <>{content}</>;
}

/** Changed lines with a little context; additions green, removals red, changed words stronger. */
export function InlineDiff({ diff, context = 3, label }: { diff: TextDiff; context?: number; label: string }) {
  if (diff.added === 0 && diff.removed === 0) {
    return <p className="text-sm text-slate-600">The two texts are the same.</p>;
  }
  const { hunks, skippedAfter } = diffHunks(diff, context);
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white" role="region" aria-label={label} tabIndex={0}>
      <p className="border-b border-slate-200 px-3 py-1.5 text-xs text-slate-600">
        <span className="text-emerald-800">
          {diff.added} line{diff.added === 1 ? "" : "s"} added
        </span>
        , <span className="text-red-800">{diff.removed} removed</span>
      </p>
      <table className="w-full border-collapse font-mono text-xs leading-5">
        <tbody>
          {hunks.map((hunk, h) => [
            hunk.skippedBefore > 0 ? (
              <tr key={`skip-${h}`} className="bg-slate-50 text-slate-500">
                <td colSpan={4} className="px-3 py-0.5 font-sans">
                  {hunk.skippedBefore} unchanged line{hunk.skippedBefore === 1 ? "" : "s"}
                </td>
              </tr>
            ) : null,
            ...hunk.lines.map((line, i) => (
              <tr key={`${h}-${i}`} className={ROW[line.kind]} data-diff={line.kind}>
                <td className="w-10 select-none px-2 text-right text-slate-600">{line.oldNumber ?? ""}</td>
                <td className="w-10 select-none px-2 text-right text-slate-600">{line.newNumber ?? ""}</td>
                <td className="w-4 select-none text-center" aria-hidden="true">
                  {MARK[line.kind]}
                </td>
                <td className="whitespace-pre-wrap break-words pr-3">
                  {line.kind !== "same" ? <span className="sr-only">{line.kind === "added" ? "Added: " : "Removed: "}</span> : null}
                  <LineText line={line} />
                </td>
              </tr>
            )),
          ])}
          {skippedAfter > 0 ? (
            <tr className="bg-slate-50 text-slate-500">
              <td colSpan={4} className="px-3 py-0.5 font-sans">
                {skippedAfter} unchanged line{skippedAfter === 1 ? "" : "s"}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
