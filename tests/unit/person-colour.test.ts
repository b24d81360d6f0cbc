import { describe, expect, it } from "vitest";
import { personColour } from "#app/components/protocols/person-colour.ts";

/** WCAG 2.2 contrast ratio of white text on `hex`. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

describe("a person's colour in a live document", () => {
  const colours = new Set(Array.from({ length: 500 }, (_, i) => personColour(`user-${i}-${i * 7919}`)));

  it("is the same for the same person on every screen", () => {
    expect(personColour("abc123")).toBe(personColour("abc123"));
    expect(colours.size).toBeGreaterThan(4);
  });

  it("keeps a white name readable on it (WCAG AA, 4.5:1) whichever colour a person gets", () => {
    for (const colour of colours) expect(contrastWithWhite(colour), colour).toBeGreaterThanOrEqual(4.5);
  });
});
