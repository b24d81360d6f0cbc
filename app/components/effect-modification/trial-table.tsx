/**
 * The numbers behind the plots, as a table a screen reader can read: each
 * trial's interaction with its provenance (dataset version, outcome
 * definition, unit conversion) and a checkbox to leave it out of the pooling;
 * and the across-trial check for ecological bias beside the within-trial answer.
 */
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { describeP, formatNumber, formatRange } from "#app/components/comparison/format.ts";
import { TRIAL_COLOURS } from "./modification-plot.tsx";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";

export function TrialTable({
  view,
  exclude,
  onToggle,
}: {
  view: EffectModificationView;
  exclude: string[];
  /** Without it (a frozen snapshot), the inclusion boxes show the frozen choice and cannot be changed. */
  onToggle?: (key: string) => void;
}) {
  const fittedIndex = new Map(view.trials.filter((t) => t.fit).map((t, i) => [t.key, i]));
  return (
    <ScrollRegion label="Trials" className="rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="px-3 pt-3 text-left font-medium text-slate-800">
          Within-trial interactions {view.transformText} ({view.effectScale})
        </caption>
        <thead className="text-left text-slate-600">
          <tr>
            <th className="px-3 py-2">Pooled</th>
            <th className="px-3 py-2">Trial</th>
            <th className="px-3 py-2 text-right">N</th>
            <th className="px-3 py-2 text-right">Interaction [95% CI]</th>
            <th className="px-3 py-2 text-right">Effect at mean</th>
            <th className="px-3 py-2">Data</th>
          </tr>
        </thead>
        <tbody>
          {view.trials.map((t) => {
            const colour = fittedIndex.has(t.key) ? TRIAL_COLOURS[fittedIndex.get(t.key)! % TRIAL_COLOURS.length] : "#cbd5e1";
            const atMean = t.fit ? t.fit.effectAtZero + t.fit.interaction * t.fit.xMean : null;
            return (
              <tr key={t.key} className="border-t border-slate-100 align-top" data-testid="trial-row">
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Include ${t.studyTitle} in the pooling`}
                    checked={Boolean(t.fit) && !exclude.includes(t.key)}
                    disabled={!t.fit || !onToggle}
                    onChange={() => onToggle?.(t.key)}
                  />
                </td>
                <td className="px-3 py-2">
                  <span className="mr-2 inline-block h-2.5 w-2.5 rounded-full" style={{ background: colour }} aria-hidden="true" />
                  <span className="font-medium">{t.studyTitle}</span>
                  <span className="block text-xs text-slate-500">
                    {t.interventionName} vs {t.comparatorName}
                  </span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{t.n}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {t.fit ? `${formatNumber(t.fit.interaction)} ${formatRange(t.fit.ciLower, t.fit.ciUpper)}` : "–"}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatNumber(atMean)}</td>
                <td className="px-3 py-2 text-xs text-slate-600">
                  {t.source === "site" ? (
                    `${t.datasetName} v${t.datasetVersion}: fitted at the site; no participant's data left it`
                  ) : (
                    <>
                      {t.datasetName} v{t.datasetVersion}; outcome {t.outcomeDefinition}; {view.biomarker?.label} from “{t.columnName}”
                      {t.conversion ? ` (${t.conversion})` : ""}
                    </>
                  )}
                  {t.rowsLeftOut ? `; ${t.rowsLeftOut} row(s) without both values left out` : ""}
                  {t.note ? <span className="block text-amber-800">{t.note}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {view.skipped.length ? (
        <ul className="border-t border-slate-100 px-3 py-2 text-xs text-slate-600">
          {view.skipped.map((s) => (
            <li key={`${s.studyTitle}|${s.datasetName}`}>
              Not a trial here: {s.studyTitle} ({s.datasetName}): {s.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </ScrollRegion>
  );
}

export function AcrossTrialsCheck({
  across,
  within,
  biomarkerLabel,
}: {
  across: EffectModificationView["across"];
  within: EffectModificationView["pooled"];
  biomarkerLabel: string;
}) {
  if (!across || !within) return null;
  if (!across.ok) {
    return (
      <p className="text-sm text-slate-600" data-testid="across-trials">
        Across-trial check not shown: {across.reason}
      </p>
    );
  }
  return (
    <div
      className={`rounded-lg border p-3 text-sm ${across.disagree ? "border-amber-300 bg-amber-50 text-amber-900" : "border-slate-200 bg-white"}`}
      data-testid="across-trials"
      role={across.disagree ? "alert" : undefined}
    >
      <p>
        Across trials (meta-regression of each trial's overall effect on its mean {biomarkerLabel}, k = {across.k}): slope{" "}
        <strong>
          {formatNumber(across.slope)} {formatRange(across.ciLower, across.ciUpper)}
        </strong>
        , against the within-trial {formatNumber(within.estimate)}.
      </p>
      <p className="mt-1">
        {across.disagree
          ? `The two disagree (${describeP(across.differenceP)}): trials with a higher mean ${biomarkerLabel} differ in other ways too. Trust the within-trial estimate; the across-trial slope is open to ecological bias.`
          : "The across-trial slope is only a check: it compares trials, not patients, and can be confounded by anything else that differs between trials."}
      </p>
    </div>
  );
}
