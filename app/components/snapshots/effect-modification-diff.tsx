/**
 * What changed between two effect-modification analyses (two snapshots, or a
 * snapshot and the live view): the pooled interaction before and after, the
 * trials that moved, arrived or left with their fits, sources at a new
 * version and options that differ. Numbers show three decimals, since a trial
 * "moved" to the digit may look the same at two.
 */
import { formatNumber, formatPercent, formatRange } from "#app/components/comparison/format.ts";
import type { EffectModificationDiff, OptionValue, PooledSide, TrialSide } from "#app/domain/effect-modification-diff.ts";
import { ColumnHeadings } from "#app/components/ui/column-headings.tsx";

interface Props {
  diff: EffectModificationDiff;
  /** How the two sides are named: "Snapshot 1" and "Now". */
  beforeLabel: string;
  afterLabel: string;
  /** What one step of the interaction means ("per doubling of hs-CRP") and the effect's scale, when known. */
  stepText?: string;
  effectScale?: string;
}

const DIGITS = 3;

const OPTION_LABELS: Record<EffectModificationDiff["options"][number]["option"], string> = {
  outcome: "Outcome",
  intervention: "Intervention",
  biomarker: "Biomarker",
  scale: "Scale",
  per: "Per",
  method: "Pooling method",
  knha: "Knapp–Hartung",
  exclude: "Trials excluded",
};

const CHANGE_WORDS = { moved: "fit moved", added: "new", removed: "gone" } as const;

function optionText(value: OptionValue): string {
  if (Array.isArray(value)) return value.length ? value.join("; ") : "none";
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

function interaction(fit: TrialSide["fit"] | PooledSide | null | undefined) {
  if (!fit) return "—";
  const estimate = "interaction" in fit ? fit.interaction : fit.estimate;
  return `${formatNumber(estimate, DIGITS)} ${formatRange(fit.ciLower, fit.ciUpper, DIGITS)}`;
}

function trialSide(side: TrialSide | null) {
  if (!side) return "—";
  return (
    <>
      <span className="block">{side.fit ? interaction(side.fit) : "not fitted"}</span>
      <span className="block text-xs text-slate-600">
        n = {side.n} · version {side.datasetVersion}
        {side.excluded ? " · excluded from the pooling" : ""}
      </span>
    </>
  );
}

function PooledTable({ diff, beforeLabel, afterLabel }: Pick<Props, "diff" | "beforeLabel" | "afterLabel">) {
  const { before, after, moved } = diff.pooled;
  const rows: [string, (p: PooledSide) => string][] = [
    ["Interaction [95% CI]", (p) => interaction(p)],
    ["τ²", (p) => formatNumber(p.tau2, 4)],
    ["I²", (p) => formatPercent(p.i2)],
    ["Trials pooled (k)", (p) => String(p.k)],
  ];
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse" data-testid="em-diff-pooled">
        <caption className="text-left font-medium text-slate-800">Pooled interaction: {moved ? "moved" : "unchanged"}</caption>
        <ColumnHeadings columns={["Statistic", beforeLabel, afterLabel]} />
        <tbody>
          {rows.map(([label, show]) => (
            <tr key={label} className="border-t border-slate-200">
              <th scope="row" className="px-2 py-1 text-left font-medium">
                {label}
              </th>
              <td className="px-2 py-1 tabular-nums">{before ? show(before) : "none pooled"}</td>
              <td className="px-2 py-1 tabular-nums">{after ? show(after) : "none pooled"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Options that put the two sides' interactions on different scales, or make them answer about something else. */
const QUESTION_OPTIONS = new Set(["outcome", "intervention", "biomarker", "scale", "per"]);

export function EffectModificationDiffView({ diff, beforeLabel, afterLabel, stepText, effectScale }: Props) {
  const otherQuestion = diff.options.filter((o) => QUESTION_OPTIONS.has(o.option)).map((o) => OPTION_LABELS[o.option].toLowerCase());
  return (
    <div className="space-y-3 text-sm" data-testid="snapshot-diff">
      <p className="font-medium text-slate-800" data-testid="diff-summary">
        {diff.summary}.
      </p>
      {otherQuestion.length ? (
        <p className="text-amber-800">
          The two sides differ in {otherQuestion.join(", ")}: their interactions answer different questions or sit on different scales.
        </p>
      ) : null}
      {stepText ? (
        <p className="text-slate-600">
          Interactions {stepText}
          {effectScale ? ` (${effectScale})` : ""}.
        </p>
      ) : null}
      <PooledTable diff={diff} beforeLabel={beforeLabel} afterLabel={afterLabel} />
      {diff.trials.length ? (
        <div className="overflow-x-auto">
          <table className="min-w-full border-collapse">
            <caption className="text-left font-medium text-slate-800">
              Trials that changed from {beforeLabel} to {afterLabel}
            </caption>
            <ColumnHeadings columns={["Trial", "Change", beforeLabel, afterLabel]} />
            <tbody>
              {diff.trials.map((t) => (
                <tr
                  key={`${t.studyId}|${t.datasetName}|${t.interventionName}`}
                  className="border-t border-slate-200 align-top"
                  data-testid="em-diff-trial"
                >
                  <th scope="row" className="px-2 py-1 text-left font-medium">
                    {t.studyTitle}
                    <span className="block text-xs font-normal text-slate-600">
                      {t.interventionName} vs {t.comparatorName} · {t.datasetName}
                    </span>
                  </th>
                  <td className="px-2 py-1">{CHANGE_WORDS[t.change]}</td>
                  <td className="px-2 py-1 tabular-nums">{trialSide(t.before)}</td>
                  <td className="px-2 py-1 tabular-nums">{trialSide(t.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {diff.sourcesUpdated.length || diff.options.length ? (
        <ul className="list-disc space-y-1 pl-5 text-slate-700">
          {diff.sourcesUpdated.map((s) => (
            <li key={`${s.studyTitle}-${s.what}`}>
              {s.studyTitle}: {s.what} went from version {s.before} to {s.after}
            </li>
          ))}
          {diff.options.map((o) => (
            <li key={o.option}>
              {OPTION_LABELS[o.option]}: {optionText(o.before)} → {optionText(o.after)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
