/** What the app's SVG plots share, so an exported plot looks like the one on the page. */

/** Inline, so an exported SVG renders the same without the page's stylesheet. */
export const PLOT_FONT = "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/** Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten), about five across the span. */
export function niceTicks(lower: number, upper: number): number[] {
  const span = upper - lower;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= 6) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(lower / step) * step; v <= upper + 1e-9; v += step) ticks.push(Number(v.toPrecision(6)));
  return ticks;
}
