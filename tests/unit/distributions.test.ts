import { describe, expect, it } from "vitest";
import {
  chiSquareUpperTail,
  logGamma,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  studentTQuantile,
  studentTUpperTail,
} from "#app/domain/distributions.ts";
import { metaforReference } from "#tests/support/metafor-reference.ts";

const reference = metaforReference.distributions;

/** Relative error, or absolute below 1 in magnitude. */
const closeness = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(1, Math.abs(expected));

describe("the distributions behind p-values and intervals agree with R", () => {
  it("log Γ agrees with lgamma", () => {
    for (const { x, value } of reference.logGamma) expect(closeness(logGamma(x), value), `lgamma(${x})`).toBeLessThan(1e-13);
  });

  it("normal quantiles agree with qnorm, including far tails", () => {
    for (const { p, value } of reference.normalQuantile) expect(closeness(normalQuantile(p), value), `qnorm(${p})`).toBeLessThan(1e-14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
  });

  it("normal upper tails agree with pnorm to full relative precision", () => {
    for (const { z, value } of reference.normalUpperTail) {
      expect(Math.abs(normalUpperTail(z) - value) / value, `pnorm(${z}, lower = FALSE)`).toBeLessThan(1e-12);
    }
    expect(normalCdf(0)).toBe(0.5);
  });

  it("t quantiles agree with qt for small and large degrees of freedom", () => {
    for (const { p, df, value } of reference.studentTQuantile) {
      expect(closeness(studentTQuantile(p, df), value), `qt(${p}, ${df})`).toBeLessThan(1e-11);
    }
  });

  it("t upper tails agree with pt", () => {
    for (const { t, df, value } of reference.studentTUpperTail) {
      expect(Math.abs(studentTUpperTail(t, df) - value) / value, `pt(${t}, ${df}, lower = FALSE)`).toBeLessThan(1e-11);
    }
  });

  it("chi-square upper tails agree with pchisq, down to the tiny p of a very heterogeneous Q", () => {
    for (const { x, df, value } of reference.chiSquareUpperTail) {
      expect(Math.abs(chiSquareUpperTail(x, df) - value) / value, `pchisq(${x}, ${df}, lower = FALSE)`).toBeLessThan(1e-11);
    }
  });

  it("refuses probabilities outside [0, 1] and non-positive degrees of freedom", () => {
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => chiSquareUpperTail(1, -1)).toThrow(RangeError);
  });
});
