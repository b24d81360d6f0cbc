/**
 * A forest plot as RevMan and metafor draw it: a row per study with its square
 * sized by weight and its CI, columns for N, dose and population, a diamond
 * per profile and overall, the prediction interval, a line of no effect, a
 * dashed reference line at the overall estimate, and the test for subgroup
 * differences. Plain SVG with its styles inline, so the exported file stands alone.
 */
import { forwardRef } from "react";
import type { ForestAnalysis, PooledSummary } from "#app/domain/comparison.ts";
import { isRatio } from "#app/domain/comparison.ts";
import { niceTicks, PLOT_FONT } from "#app/components/ui/plot-style.ts";
import { formatEffect, formatInterval, describeP, formatPercent } from "./format.ts";

interface Props {
  analysis: ForestAnalysis;
  profiles: { id: string; name: string }[];
  higherIsBetter: boolean;
  title: string;
  outcomeName: string;
}

const WIDTH = 1000;
const ROW = 22;
const TOP = 52;
const COL = { study: 8, n: 288, dose: 298, population: 412, plot: 548, plotWidth: 240, estimate: 800, weight: 992 };

type Line =
  | { kind: "heading"; text: string }
  | { kind: "study"; study: ForestAnalysis["groups"][number]["studies"][number] }
  | { kind: "pooled"; label: string; detail: string; pooled: PooledSummary; emphasis: boolean; id: string }
  | { kind: "prediction"; pooled: PooledSummary }
  | { kind: "note"; text: string };

const RATIO_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const ForestPlot = forwardRef<SVGSVGElement, Props>(function ForestPlot(
  { analysis, profiles, higherIsBetter, title, outcomeName },
  ref,
) {
  const ratio = isRatio(analysis.measure);
  const toAxis = ratio ? Math.log : (x: number) => x;
  const nameOf = (id: string) => profiles.find((p) => p.id === id)?.name ?? id;
  const multiple = analysis.groups.length > 1;

  const lines: Line[] = [];
  for (const group of analysis.groups) {
    lines.push({ kind: "heading", text: nameOf(group.profileId) });
    for (const study of group.studies) lines.push({ kind: "study", study });
    if (group.pooled) {
      const p = group.pooled;
      const detail = p.k > 1 ? `I² = ${formatPercent(p.i2)}, τ² = ${p.tau2.toFixed(3)}, ${describeP(p.qP, "Q p")}` : "a single study";
      lines.push({
        kind: "pooled",
        label: multiple ? `Subtotal (k = ${p.k})` : `Pooled (k = ${p.k})`,
        detail,
        pooled: p,
        emphasis: !multiple,
        id: `subtotal-${group.profileId}`,
      });
      if (!multiple && p.k > 1) lines.push({ kind: "prediction", pooled: p });
    } else lines.push({ kind: "note", text: "No study left to pool." });
  }
  if (multiple && analysis.overall) {
    const p = analysis.overall;
    lines.push({
      kind: "pooled",
      label: `Overall (k = ${p.k})`,
      detail: `I² = ${formatPercent(p.i2)}, τ² = ${p.tau2.toFixed(3)}`,
      pooled: p,
      emphasis: true,
      id: "overall",
    });
    if (p.k > 1) lines.push({ kind: "prediction", pooled: p });
  }
  if (analysis.test) {
    lines.push({
      kind: "note",
      text: `Test for subgroup differences: Q = ${analysis.test.q.toFixed(2)}, df = ${analysis.test.df}, ${describeP(analysis.test.p)}`,
    });
  }

  // The axis spans every interval shown and the line of no effect, within sane limits.
  const values: number[] = [toAxis(ratio ? 1 : 0)];
  for (const line of lines) {
    if (line.kind === "study" && line.study.ciLower !== null && !line.study.excluded)
      values.push(toAxis(line.study.ciLower), toAxis(line.study.ciUpper!));
    if (line.kind === "pooled") values.push(toAxis(line.pooled.ciLower), toAxis(line.pooled.ciUpper));
    if (line.kind === "prediction") values.push(toAxis(line.pooled.piLower), toAxis(line.pooled.piUpper));
  }
  const limit = ratio ? Math.log(100) : analysis.measure === "SMD" ? 4 : Infinity;
  let lower = Math.max(-limit, Math.min(...values.filter(Number.isFinite)));
  let upper = Math.min(limit, Math.max(...values.filter(Number.isFinite)));
  const pad = (upper - lower) * 0.05 || 0.5;
  lower -= pad;
  upper += pad;
  const x = (axisValue: number) => COL.plot + ((Math.min(upper, Math.max(lower, axisValue)) - lower) / (upper - lower)) * COL.plotWidth;
  const ticks = ratio ? RATIO_TICKS.filter((t) => Math.log(t) >= lower && Math.log(t) <= upper) : niceTicks(lower, upper);

  const maxWeight = Math.max(1, ...analysis.groups.flatMap((g) => g.studies.map((s) => s.weight ?? 0)));
  const bottom = TOP + lines.length * ROW;
  const height = bottom + 56;
  const reference = analysis.overall ?? analysis.groups.find((g) => g.pooled)?.pooled ?? null;
  const leftLabel = higherIsBetter ? "Favours comparator" : "Favours intervention";
  const rightLabel = higherIsBetter ? "Favours intervention" : "Favours comparator";

  const diamond = (p: PooledSummary, y: number, colour: string, id: string) => {
    const cx = x(toAxis(p.estimate));
    const points = `${x(toAxis(p.ciLower))},${y} ${cx},${y - 7} ${x(toAxis(p.ciUpper))},${y} ${cx},${y + 7}`;
    return (
      <polygon points={points} fill={colour} stroke="#0f172a" strokeWidth={0.75} data-testid={`diamond-${id}`} data-estimate={p.estimate} />
    );
  };

  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-label={`Forest plot: ${title}`}
      style={{ fontFamily: PLOT_FONT, fontSize: 12, background: "#ffffff" }}
      fontFamily={PLOT_FONT}
      fontSize={12}
    >
      <rect x={0} y={0} width={WIDTH} height={height} fill="#ffffff" />
      <text x={COL.study} y={18} fontWeight={600} fontSize={14} fill="#0f172a">
        {truncate(`${title} · ${outcomeName}`, 120)}
      </text>
      <g fill="#334155" fontWeight={600}>
        <text x={COL.study} y={TOP - 10}>
          Study
        </text>
        <text x={COL.n} y={TOP - 10} textAnchor="end">
          N
        </text>
        <text x={COL.dose} y={TOP - 10}>
          Dose
        </text>
        <text x={COL.population} y={TOP - 10}>
          Population
        </text>
        <text x={COL.plot + COL.plotWidth / 2} y={TOP - 10} textAnchor="middle">
          {analysis.measure} ({analysis.method})
        </text>
        <text x={COL.estimate} y={TOP - 10}>
          {analysis.measure} [95% CI]
        </text>
        <text x={COL.weight} y={TOP - 10} textAnchor="end">
          Weight
        </text>
      </g>
      <line x1={COL.study} x2={WIDTH - 8} y1={TOP - 4} y2={TOP - 4} stroke="#cbd5e1" />

      {/* Line of no effect, and the reference line at the overall estimate. */}
      <line x1={x(toAxis(ratio ? 1 : 0))} x2={x(toAxis(ratio ? 1 : 0))} y1={TOP} y2={bottom} stroke="#0f172a" strokeWidth={1} />
      {reference ? (
        <line
          x1={x(toAxis(reference.estimate))}
          x2={x(toAxis(reference.estimate))}
          y1={TOP}
          y2={bottom}
          stroke="#64748b"
          strokeDasharray="4 3"
          data-testid="reference-line"
        />
      ) : null}

      {lines.map((line, i) => {
        const y = TOP + i * ROW + ROW / 2;
        const text = y + 4;
        switch (line.kind) {
          case "heading":
            return (
              <text key={i} x={COL.study} y={text} fontWeight={600} fill="#0f172a">
                {truncate(line.text, 40)}
              </text>
            );
          case "note":
            return (
              <text key={i} x={COL.study} y={text} fill="#334155" fontStyle="italic">
                {line.text}
              </text>
            );
          case "prediction": {
            const p = line.pooled;
            return (
              <g key={i} data-testid="prediction-interval">
                <text x={COL.study + 12} y={text} fill="#475569">
                  Prediction interval
                </text>
                <line x1={x(toAxis(p.piLower))} x2={x(toAxis(p.piUpper))} y1={y} y2={y} stroke="#475569" strokeWidth={1.5} />
                <line x1={x(toAxis(p.piLower))} x2={x(toAxis(p.piLower))} y1={y - 4} y2={y + 4} stroke="#475569" />
                <line x1={x(toAxis(p.piUpper))} x2={x(toAxis(p.piUpper))} y1={y - 4} y2={y + 4} stroke="#475569" />
                <text x={COL.estimate} y={text} fill="#475569">
                  {formatInterval(p.piLower, p.piUpper, analysis.measure)}
                </text>
              </g>
            );
          }
          case "pooled": {
            const p = line.pooled;
            return (
              <g key={i}>
                <text x={COL.study + 12} y={text} fontWeight={line.emphasis ? 700 : 600} fill="#0f172a">
                  {line.label}
                </text>
                <text x={COL.n} y={text} textAnchor="end" fill="#0f172a">
                  {p.n ?? "–"}
                </text>
                <text x={COL.dose} y={text} fill="#475569" fontSize={11}>
                  {line.detail}
                </text>
                {diamond(p, y, line.emphasis ? "#08519c" : "#4292c6", line.id)}
                <text x={COL.estimate} y={text} fontWeight={600} fill="#0f172a">
                  {formatEffect(p.estimate, analysis.measure)} {formatInterval(p.ciLower, p.ciUpper, analysis.measure)}
                </text>
              </g>
            );
          }
          case "study": {
            const s = line.study;
            const muted = s.excluded || s.estimate === null;
            const colour = muted ? "#94a3b8" : "#0f172a";
            const side = s.weight !== null ? 4 + 10 * Math.sqrt(s.weight / maxWeight) : 0;
            return (
              <g key={i} data-testid="forest-study" data-study={s.input.studyId}>
                <text x={COL.study + 12} y={text} fill={colour}>
                  {truncate(s.input.studyTitle, 36)}
                  <title>{`${s.input.studyTitle} (${s.input.source === "participant" ? `participant-level: ${s.input.datasetName} v${s.input.datasetVersion}` : `summary result${s.input.subgroup ? ` for “${s.input.subgroup}”` : ""}`})`}</title>
                </text>
                <text x={COL.n} y={text} textAnchor="end" fill={colour}>
                  {s.n ?? "–"}
                </text>
                <text x={COL.dose} y={text} fill={colour}>
                  {truncate(s.input.dose || "–", 16)}
                </text>
                <text x={COL.population} y={text} fill={colour}>
                  {truncate(
                    s.input.source === "summary" ? `${s.input.subgroup || "whole sample"} (summary)` : `${s.input.population || "–"}`,
                    19,
                  )}
                  <title>{s.input.population}</title>
                </text>
                {s.estimate !== null && !s.excluded ? (
                  <>
                    <line x1={x(toAxis(s.ciLower!))} x2={x(toAxis(s.ciUpper!))} y1={y} y2={y} stroke="#0f172a" strokeWidth={1.25} />
                    <rect x={x(toAxis(s.estimate)) - side / 2} y={y - side / 2} width={side} height={side} fill="#1e3a5f" />
                  </>
                ) : null}
                <text x={COL.estimate} y={text} fill={colour}>
                  {s.excluded
                    ? "excluded"
                    : s.estimate === null
                      ? truncate(s.reason ?? "not estimable", 26)
                      : `${formatEffect(s.estimate, analysis.measure)} ${formatInterval(s.ciLower, s.ciUpper, analysis.measure)}`}
                </text>
                <text x={COL.weight} y={text} textAnchor="end" fill={colour}>
                  {s.weight !== null ? `${s.weight.toFixed(1)}%` : ""}
                </text>
              </g>
            );
          }
          default:
            return null;
        }
      })}

      {/* Axis */}
      <line x1={COL.plot} x2={COL.plot + COL.plotWidth} y1={bottom + 4} y2={bottom + 4} stroke="#0f172a" />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(toAxis(t))} x2={x(toAxis(t))} y1={bottom + 4} y2={bottom + 9} stroke="#0f172a" />
          <text x={x(toAxis(t))} y={bottom + 21} textAnchor="middle" fill="#334155" fontSize={11}>
            {String(t).replace(/^-/, "−")}
          </text>
        </g>
      ))}
      {/* As RevMan: each side of the line of no effect says whom it favours. */}
      <text x={x(toAxis(ratio ? 1 : 0)) - 6} y={bottom + 40} textAnchor="end" fill="#475569" fontSize={11}>
        ← {leftLabel}
      </text>
      <text x={x(toAxis(ratio ? 1 : 0)) + 6} y={bottom + 40} fill="#475569" fontSize={11}>
        {rightLabel} →
      </text>
    </svg>
  );
});
