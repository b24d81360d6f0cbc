/** How the comparison shows numbers and colours (colour-blind safe: blue against orange, never red against green). */
import type { EffectDirection, EffectSize } from "#app/domain/comparison.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";

/** A number for reading: fixed digits, a true minus sign, and "–" for nothing. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toFixed(digits).replace(/^-/, "−");
}

/** "[−0.75, 2.56]" */
export const formatRange = (lower: number | null | undefined, upper: number | null | undefined, digits = 2) =>
  `[${formatNumber(lower, digits)}, ${formatNumber(upper, digits)}]`;

const digitsOf = (measure: EffectMeasure) => (measure === "MD" ? 1 : 2);

export const formatEffect = (value: number | null | undefined, measure: EffectMeasure) => formatNumber(value, digitsOf(measure));

export const formatInterval = (lower: number | null | undefined, upper: number | null | undefined, measure: EffectMeasure) =>
  formatRange(lower, upper, digitsOf(measure));

export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? "–" : `${Math.round(value)}%`;

/** "p = 0.012", or "p < 0.001" (never "p = < 0.001"). */
export function describeP(p: number | null | undefined, name = "p"): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return `${name} = –`;
  return p < 0.001 ? `${name} < 0.001` : `${name} = ${p.toFixed(3)}`;
}

export const MEASURE_LABELS: Record<EffectMeasure, string> = {
  SMD: "Standardised mean difference (Hedges' g)",
  MD: "Mean difference",
  OR: "Odds ratio",
  RR: "Risk ratio",
};

export const METHOD_LABELS = { REML: "Random effects, REML", DL: "Random effects, DerSimonian–Laird", FE: "Fixed effect" } as const;

/** ColorBrewer PuOr-like ramps: blue (favours the intervention) and orange (favours the comparator). */
export const COLOURS: Record<Exclude<EffectDirection, "unclear">, Record<EffectSize, { bg: string; fg: string }>> = {
  favours_intervention: {
    negligible: { bg: "#deebf7", fg: "#0f172a" },
    small: { bg: "#9ecae1", fg: "#0f172a" },
    medium: { bg: "#4292c6", fg: "#0f172a" },
    large: { bg: "#08519c", fg: "#ffffff" },
  },
  favours_comparator: {
    negligible: { bg: "#fee6ce", fg: "#0f172a" },
    small: { bg: "#fdae6b", fg: "#0f172a" },
    medium: { bg: "#e6550d", fg: "#0f172a" },
    large: { bg: "#a63603", fg: "#ffffff" },
  },
};
export const UNCLEAR = { bg: "#f1f5f9", fg: "#0f172a" };

export function cellColour(direction: EffectDirection, size: EffectSize) {
  return direction === "unclear" ? UNCLEAR : COLOURS[direction][size];
}
