import { describe, expect, it } from "vitest";
import { nestFormData, numberField } from "#app/http/form-data.ts";

describe("nestFormData", () => {
  it("builds nested objects and arrays from field paths", () => {
    const nested = nestFormData([
      ["title", "MINDEP"],
      ["arms[0].name", "minocycline"],
      ["arms[0].class", "anti-inflammatory"],
      ["arms[1].name", "placebo"],
      ["data.intervention.mean", "12"],
    ]);
    expect(nested).toEqual({
      title: "MINDEP",
      arms: [{ name: "minocycline", class: "anti-inflammatory" }, { name: "placebo" }],
      data: { intervention: { mean: "12" } },
    });
  });

  it("closes the gaps left by rows removed in the browser", () => {
    expect(nestFormData([["arms[0].name", "a"], ["arms[2].name", "c"]])).toEqual({ arms: [{ name: "a" }, { name: "c" }] });
  });
});

describe("numberField", () => {
  it("reads numbers, including a decimal comma, and leaves empty fields missing", () => {
    expect(numberField("12.5")).toBe(12.5);
    expect(numberField(" 3,5 ")).toBe(3.5);
    expect(numberField("")).toBeUndefined();
    expect(Number.isNaN(numberField("abc"))).toBe(true);
  });
});
