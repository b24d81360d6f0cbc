/**
 * A person's colour in a live document (their cursor, selection and name), the same on every screen.
 * Tailwind's 700 shades: white names on each meet WCAG AA contrast (4.5:1) at small sizes.
 */
const PALETTE = ["#1d4ed8", "#be185d", "#047857", "#b45309", "#6d28d9", "#b91c1c", "#0e7490", "#4d7c0f"];

export function personColour(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
