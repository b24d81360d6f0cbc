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
    expect(
      nestFormData([
        ["arms[0].name", "a"],
        ["arms[2].name", "c"],
      ]),
    ).toEqual({ arms: [{ name: "a" }, { name: "c" }] });
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

describe("nestFormData with hostile field names", () => {
  const hostile = [
    "__proto__.polluted",
    "__proto__[polluted]",
    "constructor.prototype.polluted",
    "constructor[prototype][polluted]",
    "arms[0].__proto__.polluted",
    "arms[0].constructor.prototype.polluted",
    "prototype.polluted",
    "data.__proto__",
    "__proto__",
  ];

  it("never writes through a prototype, and drops the field", () => {
    for (const name of hostile) {
      const nested = nestFormData([
        [name, "x"],
        ["title", "kept"],
      ]);
      expect(({} as Record<string, unknown>).polluted, name).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>).polluted, name).toBeUndefined();
      expect(Object.getPrototypeOf({}), name).toBe(Object.prototype);
      expect(nested, name).toEqual({ title: "kept" });
    }
  });

  it("refuses list indexes no form has, instead of allocating them", () => {
    expect(
      nestFormData([
        ["arms[4294967294].name", "x"],
        ["arms[0].name", "a"],
      ]),
    ).toEqual({ arms: [{ name: "a" }] });
  });

  it("keeps the first meaning of a name used both as a value and as a path", () => {
    expect(
      nestFormData([
        ["data", "1"],
        ["data.mean", "2"],
      ]),
    ).toEqual({ data: "1" });
  });
});
