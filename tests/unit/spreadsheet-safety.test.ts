import { describe, expect, it } from "vitest";
import { neutraliseFormula } from "#app/domain/spreadsheet-safety.ts";

describe("neutraliseFormula", () => {
  it.each([
    ["=SUM(A1:A9)"],
    ["=1+1"],
    ["+1"],
    ["+cmd|' /C calc'!A0"],
    ["-2+3"],
    ["-"],
    ["@SUM(A1)"],
    ["\t=1+1"],
    ["\r=1+1"],
    ['=HYPERLINK("http://evil.example","click")'],
  ])("prefixes %j with a quote so a spreadsheet opens it as text", (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it.each([["-3.5"], ["-3"], ["-0.0001"], ["-1e5"], ["-2.5E-3"], ["3.5"], ["42"]])("leaves the plain number %j as it is", (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });

  it.each([[""], ["plain text"], ["a=b"], ["email@example.org"], ["x-y"], ["'already quoted"], [" =1"]])(
    "leaves %j alone, since it does not start with a formula character",
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(cell);
    },
  );
});
