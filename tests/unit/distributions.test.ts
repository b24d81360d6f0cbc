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
import { expectClose, metaforReference } from "#tests/support/metafor-reference.ts";

const reference = metaforReference.distributions;

/**
 * These agree with R far more closely than the statistics built on them need
 * (tests/support/metafor-reference.ts). Quantiles and log Γ are on the scale
 * of 1, so near their zeros (qnorm(0.5), lgamma(1)) the allowance is the
 * relative one at 1; tail probabilities are relative all the way down.
 */
const onScaleOfOne = (relative: number) => ({ relative, floor: relative });
const tail = (relative: number) => ({ relative, floor: 0 });

describe("the distributions behind p-values and intervals agree with R", () => {
  it("log Γ agrees with lgamma", () => {
    for (const { x, value } of reference.logGamma) expectClose(logGamma(x), value, `lgamma(${x})`, onScaleOfOne(1e-13));
  });

  it("normal quantiles agree with qnorm, including far tails", () => {
    for (const { p, value } of reference.normalQuantile) expectClose(normalQuantile(p), value, `qnorm(${p})`, onScaleOfOne(1e-14));
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
  });

  it("normal upper tails agree with pnorm to full relative precision", () => {
    for (const { z, value } of reference.normalUpperTail) {
      expectClose(normalUpperTail(z), value, `pnorm(${z}, lower = FALSE)`, tail(1e-12));
    }
    expect(normalCdf(0)).toBe(0.5);
  });

  it("t quantiles agree with qt for small and large degrees of freedom", () => {
    for (const { p, df, value } of reference.studentTQuantile) {
      expectClose(studentTQuantile(p, df), value, `qt(${p}, ${df})`, onScaleOfOne(1e-11));
    }
  });

  it("t upper tails agree with pt", () => {
    for (const { t, df, value } of reference.studentTUpperTail) {
      expectClose(studentTUpperTail(t, df), value, `pt(${t}, ${df}, lower = FALSE)`, tail(1e-11));
    }
  });

  it("chi-square upper tails agree with pchisq, down to the tiny p of a very heterogeneous Q", () => {
    for (const { x, df, value } of reference.chiSquareUpperTail) {
      expectClose(chiSquareUpperTail(x, df), value, `pchisq(${x}, ${df}, lower = FALSE)`, tail(1e-11));
    }
  });

  it("refuses probabilities outside [0, 1] and non-positive degrees of freedom", () => {
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => chiSquareUpperTail(1, -1)).toThrow(RangeError);
  });
});
