/**
 * The effect-modification plot: the treatment effect (intervention minus
 * comparator) as a function of the biomarker, one line per trial over the
 * range it observed, the pooled line with its confidence band over the range
 * of all included trials, the workspace's profile cut-offs as dashed verticals,
 * and a rug of where each trial's participants are. The x axis is labelled in
 * the biomarker's own unit whatever the analysis scale.
 */
import { forwardRef } from "react";
import { niceTicks, PLOT_FONT } from "#app/components/ui/plot-style.ts";
import {
  type CovariateTransform,
  labelWithUnit,
  lineAt,
  transformCovariate,
  untransformCovariate,
} from "#app/domain/effect-modification.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";

interface Props {
  view: Pick<EffectModificationView, "trials" | "cutoffs" | "effectScale" | "transformText">;
  line: EffectModificationView["line"];
  transform: CovariateTransform;
  biomarker: { label: string; unit: string };
  exclude: string[];
}

const WIDTH = 720;
const HEIGHT = 420;
const PLOT = { left: 64, right: 700, top: 36, bottom: 330 };
/** Colour-blind safe (Okabe–Ito), one per trial, repeating past eight. */
export const TRIAL_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

function axisTicks(lower: number, upper: number, transform: CovariateTransform): { at: number; label: string }[] {
  if (transform.scale === "linear") {
    return niceTicks(lower * transform.per, upper * transform.per).map((v) => ({ at: v / transform.per, label: String(v) }));
  }
  const low = untransformCovariate(lower, transform);
  const high = untransformCovariate(upper, transform);
  const ticks: { at: number; label: string }[] = [];
  for (let v = 2 ** Math.floor(Math.log2(low)); v <= high * 1.0001; v *= 2) {
    const at = transformCovariate(v, transform)!;
    if (at >= lower && at <= upper) ticks.push({ at, label: String(Number(v.toPrecision(3))) });
  }
  return ticks;
}

export const ModificationPlot = forwardRef<SVGSVGElement, Props>(function ModificationPlot(
  { view, line, transform, biomarker, exclude },
  ref,
) {
  const fitted = view.trials.filter((t) => t.fit);
  const included = fitted.filter((t) => !exclude.includes(t.key));
  if (fitted.length === 0) return null;
  const xLow = Math.min(...fitted.map((t) => t.fit!.xMin));
  const xHigh = Math.max(...fitted.map((t) => t.fit!.xMax));
  const effectOf = (t: (typeof fitted)[number], x: number) => t.fit!.effectAtZero + t.fit!.interaction * x;
  const lineLow = included.length ? Math.min(...included.map((t) => t.fit!.xMin)) : xLow;
  const lineHigh = included.length ? Math.max(...included.map((t) => t.fit!.xMax)) : xHigh;
  const band = line
    ? Array.from({ length: 41 }, (_, i) => {
        const x = lineLow + ((lineHigh - lineLow) * i) / 40;
        return { x, ...lineAt(line, x) };
      })
    : [];
  const ys = [
    0,
    ...fitted.flatMap((t) => [effectOf(t, t.fit!.xMin), effectOf(t, t.fit!.xMax)]),
    ...band.flatMap((b) => [b.lower, b.upper]),
  ];
  let yLow = Math.min(...ys);
  let yHigh = Math.max(...ys);
  const pad = (yHigh - yLow) * 0.06 || 1;
  yLow -= pad;
  yHigh += pad;
  const px = (x: number) => PLOT.left + ((x - xLow) / (xHigh - xLow || 1)) * (PLOT.right - PLOT.left);
  const py = (y: number) => PLOT.bottom - ((y - yLow) / (yHigh - yLow)) * (PLOT.bottom - PLOT.top);
  const cutoffs = view.cutoffs
    .map((c) => ({ ...c, at: transformCovariate(c.value, transform) }))
    .filter((c): c is typeof c & { at: number } => c.at !== null && c.at >= xLow && c.at <= xHigh);
  const distinctCutoffs = [...new Map(cutoffs.map((c) => [c.value, c])).values()];

  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={`Treatment effect by ${biomarker.label}: one line per trial and the pooled line with its 95% band`}
      style={{ fontFamily: PLOT_FONT, fontSize: 12, background: "#ffffff" }}
      fontFamily={PLOT_FONT}
      fontSize={12}
      data-testid="modification-plot"
    >
      <rect x={0} y={0} width={WIDTH} height={HEIGHT} fill="#ffffff" />
      <text x={PLOT.left} y={20} fontWeight={600} fontSize={13} fill="#0f172a">
        Treatment effect by {biomarker.label}
      </text>
      {niceTicks(yLow, yHigh).map((t) => (
        <g key={`y${t}`}>
          <line x1={PLOT.left} x2={PLOT.right} y1={py(t)} y2={py(t)} stroke="#f1f5f9" />
          <text x={PLOT.left - 6} y={py(t) + 4} textAnchor="end" fill="#334155" fontSize={11}>
            {String(t).replace(/^-/, "−")}
          </text>
        </g>
      ))}
      <line x1={PLOT.left} x2={PLOT.right} y1={py(0)} y2={py(0)} stroke="#0f172a" />
      {distinctCutoffs.map((c, i) => (
        <g key={`c${c.value}`} data-testid="cutoff">
          <line x1={px(c.at)} x2={px(c.at)} y1={PLOT.top} y2={PLOT.bottom} stroke="#7c3aed" strokeDasharray="5 4" />
          <text x={px(c.at) + 3} y={PLOT.top + 12 + (i % 3) * 13} fill="#6d28d9" fontSize={11}>
            {c.profile}: {c.operator} {Number(c.value.toPrecision(4))} {biomarker.unit}
          </text>
        </g>
      ))}
      {band.length ? (
        <polygon
          points={[...band.map((b) => `${px(b.x)},${py(b.upper)}`), ...[...band].reverse().map((b) => `${px(b.x)},${py(b.lower)}`)].join(
            " ",
          )}
          fill="#08519c"
          fillOpacity={0.15}
          stroke="none"
        />
      ) : null}
      {fitted.map((t, i) => {
        const excluded = exclude.includes(t.key);
        const colour = excluded ? "#cbd5e1" : TRIAL_COLOURS[i % TRIAL_COLOURS.length];
        return (
          <g key={t.key} data-testid="trial-line">
            <line
              x1={px(t.fit!.xMin)}
              x2={px(t.fit!.xMax)}
              y1={py(effectOf(t, t.fit!.xMin))}
              y2={py(effectOf(t, t.fit!.xMax))}
              stroke={colour}
              strokeWidth={1.5}
              strokeDasharray={excluded ? "3 3" : undefined}
            >
              <title>{`${t.studyTitle}${excluded ? " (excluded)" : ""}`}</title>
            </line>
            {excluded
              ? null
              : t.rug.map((x, j) => (
                  <line
                    key={j}
                    x1={px(x)}
                    x2={px(x)}
                    y1={PLOT.bottom + 2 + (i % 8) * 5}
                    y2={PLOT.bottom + 6 + (i % 8) * 5}
                    stroke={colour}
                  />
                ))}
          </g>
        );
      })}
      {line && band.length ? (
        <line
          data-testid="pooled-line"
          data-slope={line.slope}
          x1={px(lineLow)}
          x2={px(lineHigh)}
          y1={py(lineAt(line, lineLow).estimate)}
          y2={py(lineAt(line, lineHigh).estimate)}
          stroke="#08519c"
          strokeWidth={3}
        />
      ) : null}
      <line x1={PLOT.left} x2={PLOT.right} y1={PLOT.bottom} y2={PLOT.bottom} stroke="#0f172a" />
      {axisTicks(xLow, xHigh, transform).map((t) => (
        <g key={`x${t.at}`}>
          <line x1={px(t.at)} x2={px(t.at)} y1={PLOT.bottom + 44} y2={PLOT.bottom + 49} stroke="#0f172a" />
          <text x={px(t.at)} y={PLOT.bottom + 62} textAnchor="middle" fill="#334155" fontSize={11}>
            {t.label}
          </text>
        </g>
      ))}
      <line x1={PLOT.left} x2={PLOT.right} y1={PLOT.bottom + 44} y2={PLOT.bottom + 44} stroke="#0f172a" />
      <text x={(PLOT.left + PLOT.right) / 2} y={HEIGHT - 6} textAnchor="middle" fill="#0f172a">
        {labelWithUnit(biomarker.label, biomarker.unit)}
        {transform.scale === "linear" ? "" : ", log scale"}
      </text>
      <text
        x={14}
        y={(PLOT.top + PLOT.bottom) / 2}
        transform={`rotate(-90 14 ${(PLOT.top + PLOT.bottom) / 2})`}
        textAnchor="middle"
        fill="#0f172a"
      >
        Effect ({view.effectScale})
      </text>
    </svg>
  );
});
