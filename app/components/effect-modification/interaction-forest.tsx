/**
 * The within-trial interactions as a forest plot, in the RevMan layout the
 * comparison uses: a row per trial with its square sized by weight and its CI,
 * the pooled diamond, the prediction interval, a line of no effect modification
 * at 0, and the numbers. Plain SVG with inline styles, so the exported file stands alone.
 */
import { forwardRef } from "react";
import { formatNumber, formatRange } from "#app/components/comparison/format.ts";
import { niceTicks, PLOT_FONT } from "#app/components/ui/plot-style.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";

interface Props {
  trials: EffectModificationView["trials"];
  pooled: EffectModificationView["pooled"];
  exclude: string[];
  /** Each included trial's weight in percent, by key. */
  weights: Record<string, number>;
  title: string;
  stepText: string;
}

const WIDTH = 880;
const ROW = 22;
const TOP = 52;
const COL = { trial: 8, n: 300, plot: 320, plotWidth: 280, estimate: 620, weight: 872 };

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const InteractionForest = forwardRef<SVGSVGElement, Props>(function InteractionForest(
  { trials, pooled, exclude, weights, title, stepText },
  ref,
) {
  const values = [0];
  for (const t of trials) if (t.fit && !exclude.includes(t.key)) values.push(t.fit.ciLower, t.fit.ciUpper);
  if (pooled) values.push(pooled.ciLower, pooled.ciUpper, pooled.piLower, pooled.piUpper);
  const finite = values.filter(Number.isFinite);
  let lower = Math.min(...finite);
  let upper = Math.max(...finite);
  const pad = (upper - lower) * 0.05 || 0.5;
  lower -= pad;
  upper += pad;
  const x = (v: number) => COL.plot + ((Math.min(upper, Math.max(lower, v)) - lower) / (upper - lower)) * COL.plotWidth;
  const maxWeight = Math.max(1, ...Object.values(weights));
  const rows = trials.length + (pooled ? (pooled.k > 1 ? 2 : 1) : 1);
  const bottom = TOP + rows * ROW;
  const height = bottom + 44;

  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-label={`Forest plot of the within-trial interactions: ${title}`}
      style={{ fontFamily: PLOT_FONT, fontSize: 12, background: "#ffffff" }}
      fontFamily={PLOT_FONT}
      fontSize={12}
    >
      <rect x={0} y={0} width={WIDTH} height={height} fill="#ffffff" />
      <text x={COL.trial} y={18} fontWeight={600} fontSize={14} fill="#0f172a">
        {truncate(title, 110)}
      </text>
      <g fill="#334155" fontWeight={600}>
        <text x={COL.trial} y={TOP - 10}>
          Trial
        </text>
        <text x={COL.n} y={TOP - 10} textAnchor="end">
          N
        </text>
        <text x={COL.plot + COL.plotWidth / 2} y={TOP - 10} textAnchor="middle">
          Interaction {truncate(stepText, 30)}
        </text>
        <text x={COL.estimate} y={TOP - 10}>
          Estimate [95% CI]
        </text>
        <text x={COL.weight} y={TOP - 10} textAnchor="end">
          Weight
        </text>
      </g>
      <line x1={COL.trial} x2={WIDTH - 8} y1={TOP - 4} y2={TOP - 4} stroke="#cbd5e1" />
      <line x1={x(0)} x2={x(0)} y1={TOP} y2={bottom} stroke="#0f172a" />
      {pooled ? <line x1={x(pooled.estimate)} x2={x(pooled.estimate)} y1={TOP} y2={bottom} stroke="#64748b" strokeDasharray="4 3" /> : null}

      {trials.map((t, i) => {
        const y = TOP + i * ROW + ROW / 2;
        const excluded = exclude.includes(t.key);
        const muted = excluded || !t.fit;
        const colour = muted ? "#94a3b8" : "#0f172a";
        const weight = weights[t.key] as number | undefined;
        const side = weight !== undefined ? 4 + 10 * Math.sqrt(weight / maxWeight) : 0;
        return (
          <g key={t.key} data-testid="interaction-trial" data-trial={t.key}>
            <text x={COL.trial + 12} y={y + 4} fill={colour}>
              {truncate(t.studyTitle, 40)}
              <title>{`${t.studyTitle}: ${t.interventionName} vs ${t.comparatorName}, ${t.datasetName} v${t.datasetVersion}`}</title>
            </text>
            <text x={COL.n} y={y + 4} textAnchor="end" fill={colour}>
              {t.n}
            </text>
            {t.fit && !excluded ? (
              <>
                <line x1={x(t.fit.ciLower)} x2={x(t.fit.ciUpper)} y1={y} y2={y} stroke="#0f172a" strokeWidth={1.25} />
                <rect x={x(t.fit.interaction) - side / 2} y={y - side / 2} width={side} height={side} fill="#1e3a5f" />
              </>
            ) : null}
            <text x={COL.estimate} y={y + 4} fill={colour}>
              {excluded
                ? "excluded"
                : t.fit
                  ? `${formatNumber(t.fit.interaction)} ${formatRange(t.fit.ciLower, t.fit.ciUpper)}`
                  : truncate(t.note ?? "not fitted", 34)}
            </text>
            <text x={COL.weight} y={y + 4} textAnchor="end" fill={colour}>
              {weight !== undefined ? `${weight.toFixed(1)}%` : ""}
            </text>
          </g>
        );
      })}

      {pooled ? (
        <g>
          <text x={COL.trial + 12} y={TOP + trials.length * ROW + ROW / 2 + 4} fontWeight={700} fill="#0f172a">
            Pooled within-trial (k = {pooled.k}){pooled.k > 1 ? `, I² = ${Math.round(pooled.i2)}%` : ""}
          </text>
          <polygon
            data-testid="interaction-diamond"
            data-estimate={pooled.estimate}
            points={(() => {
              const y = TOP + trials.length * ROW + ROW / 2;
              return `${x(pooled.ciLower)},${y} ${x(pooled.estimate)},${y - 7} ${x(pooled.ciUpper)},${y} ${x(pooled.estimate)},${y + 7}`;
            })()}
            fill="#08519c"
            stroke="#0f172a"
            strokeWidth={0.75}
          />
          <text x={COL.estimate} y={TOP + trials.length * ROW + ROW / 2 + 4} fontWeight={600} fill="#0f172a">
            {formatNumber(pooled.estimate)} {formatRange(pooled.ciLower, pooled.ciUpper)}
          </text>
          {pooled.k > 1 ? (
            <g>
              <text x={COL.trial + 12} y={TOP + (trials.length + 1) * ROW + ROW / 2 + 4} fill="#475569">
                Prediction interval
              </text>
              <line
                x1={x(pooled.piLower)}
                x2={x(pooled.piUpper)}
                y1={TOP + (trials.length + 1) * ROW + ROW / 2}
                y2={TOP + (trials.length + 1) * ROW + ROW / 2}
                stroke="#475569"
                strokeWidth={1.5}
              />
              <text x={COL.estimate} y={TOP + (trials.length + 1) * ROW + ROW / 2 + 4} fill="#475569">
                {formatRange(pooled.piLower, pooled.piUpper)}
              </text>
            </g>
          ) : null}
        </g>
      ) : (
        <text x={COL.trial + 12} y={TOP + trials.length * ROW + ROW / 2 + 4} fill="#334155" fontStyle="italic">
          No trial left to pool.
        </text>
      )}

      <line x1={COL.plot} x2={COL.plot + COL.plotWidth} y1={bottom + 4} y2={bottom + 4} stroke="#0f172a" />
      {niceTicks(lower, upper).map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={bottom + 4} y2={bottom + 9} stroke="#0f172a" />
          <text x={x(t)} y={bottom + 21} textAnchor="middle" fill="#334155" fontSize={11}>
            {String(t).replace(/^-/, "−")}
          </text>
        </g>
      ))}
      <text x={x(0) - 6} y={bottom + 38} textAnchor="end" fill="#475569" fontSize={11}>
        ← smaller effect at higher values
      </text>
      <text x={x(0) + 6} y={bottom + 38} fill="#475569" fontSize={11}>
        larger effect at higher values →
      </text>
    </svg>
  );
});
