/**
 * Effect modification within trials, from the row's forest plot: pick two
 * profiles (High CRP against Low CRP), and each trial's effect in one minus
 * its effect in the other is drawn as a small forest plot, participant-level
 * trials and trials that published only subgroup results side by side (each
 * row says which), pooled. Recomputed here as studies are excluded.
 */
import { useMemo, useState } from "react";
import type { ComparisonInput } from "#app/domain/comparison.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import type { PoolingMethod } from "#app/domain/meta-analysis.ts";
import { withinTrialDifferences } from "#app/domain/subgroup-difference.ts";
import { formatEffect, formatInterval, describeP } from "./format.ts";

interface Props {
  /** The comparison's API path and query (outcome, measure, method, prefer, exclude) with the row, for the exports. */
  api: string;
  query: URLSearchParams;
  profiles: { id: string; name: string }[];
  inputs: ComparisonInput[];
  options: { measure: EffectMeasure; method: PoolingMethod; knha: boolean };
  exclude: string[];
}

const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** "High CRP" against "Low CRP" when the workspace has such a pair; otherwise the first two profiles. */
function defaultPair(profiles: Props["profiles"]): [string, string] {
  const high = profiles.find((p) => /\bhigh\b/i.test(p.name));
  const low =
    high && profiles.find((p) => /\blow\b/i.test(p.name) && p.name.replace(/\blow\b/i, "") === high.name.replace(/\bhigh\b/i, ""));
  return high && low ? [high.id, low.id] : [profiles[0].id, profiles[1].id];
}

export function WithinTrialPanel({ api, query, profiles, inputs, options, exclude }: Props) {
  const [pair, setPair] = useState(() => defaultPair(profiles));
  const [a, b] = pair;
  const analysis = useMemo(() => withinTrialDifferences(inputs, a, b, { ...options, exclude }), [inputs, a, b, options, exclude]);
  const back = analysis.ratio ? Math.exp : (x: number) => x;
  const shown = analysis.trials.filter((t) => !t.excluded);
  // The pooled CI on the analysis scale (z, or t under Knapp–Hartung, as pooled).
  const toAnalysis = analysis.ratio ? Math.log : (v: number) => v;
  const pooledCi = analysis.pooled ? [toAnalysis(analysis.pooled.ciLower), toAnalysis(analysis.pooled.ciUpper)] : [];
  const values = [0, ...shown.flatMap((t) => [t.ciLower, t.ciUpper]), ...pooledCi];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const x = (v: number) => 4 + ((v - low) / span) * 152;
  const name = (id: string) => profiles.find((p) => p.id === id)?.name ?? id;
  const contrast = analysis.ratio ? "ratio" : "difference";
  const exportQuery = new URLSearchParams(query);
  exportQuery.set("a", a);
  exportQuery.set("b", b);

  return (
    <section className="mt-5 border-t border-slate-100 pt-4" data-testid="within-trial" aria-labelledby="within-trial-heading">
      <h4 id="within-trial-heading" className="text-sm font-semibold text-slate-800">
        Within each trial: does the effect differ between two profiles?
      </h4>
      <p className="text-xs text-slate-600">
        Each trial's effect in the first profile {analysis.ratio ? "divided by" : "minus"} its effect in the second, then pooled: trials
        with participant-level data are split by the profiles' criteria; trials that shared only subgroup results contribute the results
        mapped to the two profiles. Choose profiles that do not overlap.
      </p>
      <div className="mt-2 flex flex-wrap gap-3 text-sm">
        <label>
          First profile{" "}
          <select className={SELECT} value={a} onChange={(e) => setPair([e.currentTarget.value, b])}>
            {profiles.map((p) => (
              <option key={p.id} value={p.id} disabled={p.id === b}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Second profile{" "}
          <select className={SELECT} value={b} onChange={(e) => setPair([a, e.currentTarget.value])}>
            {profiles.map((p) => (
              <option key={p.id} value={p.id} disabled={p.id === a}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {analysis.trials.length ? (
        <p className="mt-2 flex gap-3 text-sm">
          <a className="text-brand-700 underline" href={`${api}/within-trial.csv?${exportQuery}`}>
            Differences CSV
          </a>
          <a className="text-brand-700 underline" href={`${api}/within-trial.R?${exportQuery}`} data-testid="within-trial-r">
            R script
          </a>
        </p>
      ) : null}
      {analysis.trials.length ? (
        <table className="mt-3 min-w-full text-sm">
          <caption className="sr-only">
            Within-trial {contrast} of the effect between {name(a)} and {name(b)}
          </caption>
          <thead className="text-left text-xs text-slate-600">
            <tr>
              <th className="py-1 pr-3">Trial</th>
              <th className="py-1 pr-3">Data</th>
              <th className="py-1 pr-3 text-right">{name(a)}</th>
              <th className="py-1 pr-3 text-right">{name(b)}</th>
              <th className="py-1 pr-3">
                <span className="sr-only">Plot</span>
              </th>
              <th className="py-1 text-right">{analysis.ratio ? "Ratio" : "Difference"} [95% CI]</th>
            </tr>
          </thead>
          <tbody>
            {analysis.trials.map((t) => (
              <tr
                key={`${t.studyId}|${t.interventionName}`}
                className={`border-t border-slate-100 ${t.excluded ? "text-slate-500" : ""}`}
                data-testid="within-trial-row"
              >
                <td className="py-1 pr-3">
                  {t.studyTitle} <span className="text-xs text-slate-500">({t.interventionName})</span>
                </td>
                <td className="py-1 pr-3 text-xs" title={`${t.provenance.a}; ${t.provenance.b}`}>
                  {t.source === "participant" ? "participant-level, split by the profiles" : "published subgroup results"}
                </td>
                <td className="py-1 pr-3 text-right tabular-nums">{formatEffect(back(t.a.yi), options.measure)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{formatEffect(back(t.b.yi), options.measure)}</td>
                <td className="py-1 pr-3">
                  {t.excluded ? null : (
                    <svg width="160" height="14" aria-hidden="true">
                      <line x1={x(0)} x2={x(0)} y1={0} y2={14} stroke="#0f172a" />
                      <line x1={x(t.ciLower)} x2={x(t.ciUpper)} y1={7} y2={7} stroke="#0f172a" />
                      <rect x={x(t.yi) - 3} y={4} width={6} height={6} fill="#1e3a5f" />
                    </svg>
                  )}
                </td>
                <td className="py-1 text-right tabular-nums">
                  {t.excluded
                    ? "excluded"
                    : `${formatEffect(back(t.yi), options.measure)} ${formatInterval(back(t.ciLower), back(t.ciUpper), options.measure)}`}
                </td>
              </tr>
            ))}
            {analysis.pooled ? (
              <tr
                className="border-t-2 border-slate-200 font-semibold"
                data-testid="within-trial-pooled"
                data-estimate={analysis.pooled.yi}
              >
                <td className="py-1 pr-3" colSpan={4}>
                  Pooled within trials (k = {analysis.pooled.k}
                  {analysis.pooled.k > 1 ? `, I² = ${Math.round(analysis.pooled.i2)}%` : ""}; {describeP(analysis.pooled.pval)})
                </td>
                <td className="py-1 pr-3">
                  <svg width="160" height="14" aria-hidden="true">
                    <line x1={x(0)} x2={x(0)} y1={0} y2={14} stroke="#0f172a" />
                    <polygon
                      points={`${x(pooledCi[0])},7 ${x(analysis.pooled.yi)},2 ${x(pooledCi[1])},7 ${x(analysis.pooled.yi)},12`}
                      fill="#08519c"
                    />
                  </svg>
                </td>
                <td className="py-1 text-right tabular-nums">
                  {formatEffect(analysis.pooled.estimate, options.measure)}{" "}
                  {formatInterval(analysis.pooled.ciLower, analysis.pooled.ciUpper, options.measure)}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : (
        <p className="mt-2 text-sm text-slate-600">No trial gives this intervention's effect in both profiles.</p>
      )}
      {analysis.unpaired.length ? (
        <ul className="mt-2 text-xs text-slate-500">
          {analysis.unpaired.map((u) => (
            <li key={`${u.studyTitle}|${u.interventionName}|${u.reason}`}>
              Not paired: {u.studyTitle} ({u.interventionName}): {u.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
