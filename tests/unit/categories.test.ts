import { describe, expect, it } from "vitest";
import { formatCategories, liftChoicesLine, parseCategories } from "#app/domain/categories.ts";
import { BiomarkerInput } from "#app/schemas/panels.ts";

const issues = (input: unknown) => {
  const result = BiomarkerInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
};

const sex = [
  { code: "1", label: "Male" },
  { code: "2", label: "Female" },
];

describe("categories as text (REDCap's syntax)", () => {
  it("reads code, label pairs separated by | or line breaks, a label running past its own commas", () => {
    expect(parseCategories("1, Male | 2, Female")).toEqual({ ok: true, value: sex });
    expect(parseCategories("1,Male\r\n2 , Female\n")).toEqual({ ok: true, value: sex });
    expect(parseCategories("0, No, never | 1, Yes, daily")).toEqual({
      ok: true,
      value: [
        { code: "0", label: "No, never" },
        { code: "1", label: "Yes, daily" },
      ],
    });
  });

  it("reads empty text as no categories, and skips empty pieces", () => {
    expect(parseCategories("")).toEqual({ ok: true, value: [] });
    expect(parseCategories(" | 1, Male || 2, Female |")).toEqual({ ok: true, value: sex });
  });

  it("explains a piece without a code or label, and a code given twice", () => {
    expect(parseCategories("1 Male | 2, Female")).toEqual({ ok: false, message: "the category “1 Male” is not written as “code, label”" });
    expect(parseCategories(", Male")).toMatchObject({ ok: false });
    expect(parseCategories("1,")).toMatchObject({ ok: false });
    expect(parseCategories("1, Male | 1, Again")).toEqual({ ok: false, message: "the category code “1” appears twice" });
    expect(parseCategories("1, a | 1, b", "choice")).toEqual({ ok: false, message: "the choice code “1” appears twice" });
  });

  it("writes what it reads", () => {
    const categories = [...sex, { code: "-9", label: "Not asked, or refused" }, { code: "x_1", label: "Ünïcode “quoted”" }];
    expect(formatCategories(categories)).toBe("1, Male | 2, Female | -9, Not asked, or refused | x_1, Ünïcode “quoted”");
    expect(parseCategories(formatCategories(categories))).toEqual({ ok: true, value: categories });
    expect(formatCategories([])).toBe("");
  });
});

describe("the Choices line that held categories before they had a column", () => {
  it("moves the first line into categories and leaves the rest of the description", () => {
    expect(liftChoicesLine("Choices: 1, Male | 2, Female")).toEqual({ categories: sex, description: "" });
    expect(liftChoicesLine("REDCap label: Sex?\nAsked only if: [age] > 17\nChoices: 1, Male | 2, Female")).toEqual({
      categories: sex,
      description: "REDCap label: Sex?\nAsked only if: [age] > 17",
    });
    expect(liftChoicesLine("Before\nChoices: 1, Male | 2, Female\r\nAfter")).toEqual({ categories: sex, description: "Before\nAfter" });
    expect(liftChoicesLine("Choices: 1, A\nChoices: 2, B")).toEqual({
      categories: [{ code: "1", label: "A" }],
      description: "Choices: 2, B",
    });
  });

  it("leaves a description alone when it has no such line, or the line does not read as categories within the limits", () => {
    for (const description of [
      "",
      "Sex at birth",
      "See Choices: 1, Male",
      "Choices: ",
      "Choices: good | 2, Bad",
      "Choices: 1, A | 1, B",
      `Choices: ${"x".repeat(61)}, Long code`,
      `Choices: 1, ${"y".repeat(301)}`,
    ]) {
      expect(liftChoicesLine(description), description).toBeNull();
    }
  });
});

describe("the rules for a biomarker's categories", () => {
  const category = { code: "sex", label: "Sex", valueType: "category" };

  it("takes categories as a list or as text, for category biomarkers, numbers having none", () => {
    expect(BiomarkerInput.parse({ ...category, categories: sex }).categories).toEqual(sex);
    expect(BiomarkerInput.parse({ ...category, categories: " 1, Male | 2, Female " }).categories).toEqual(sex);
    expect(BiomarkerInput.parse({ ...category }).categories).toEqual([]);
    expect(BiomarkerInput.parse({ code: "crp", label: "CRP" }).categories).toEqual([]);
  });

  it("refuses categories on any other value type, naming the field", () => {
    for (const valueType of ["numeric", "integer", "text"]) {
      expect(issues({ ...category, valueType, categories: sex })).toEqual([
        { field: "categories", message: `Only category biomarkers have categories; this one is ${valueType}.` },
      ]);
    }
  });

  it("names the category and its part that breaks a rule", () => {
    expect(issues({ ...category, categories: [...sex, { code: "1", label: "Again" }] })).toEqual([
      { field: "categories.2.code", message: "The category code “1” is already used by category 1; codes are unique in a biomarker." },
    ]);
    expect(issues({ ...category, categories: [{ code: " ", label: "Blank" }] })).toEqual([
      { field: "categories.0.code", message: "A category's code cannot be empty." },
    ]);
    expect(issues({ ...category, categories: [sex[0], { code: "2", label: "" }] })).toEqual([
      { field: "categories.1.label", message: "A category's label cannot be empty." },
    ]);
    expect(issues({ ...category, categories: [{ code: "1,2", label: "x" }] })[0]).toMatchObject({ field: "categories.0.code" });
    expect(issues({ ...category, categories: [{ code: "1", label: "a | b" }] })[0]).toMatchObject({ field: "categories.0.label" });
    expect(issues({ ...category, categories: [{ code: "1", label: "a\nb" }] })[0]).toMatchObject({ field: "categories.0.label" });
    expect(issues({ ...category, categories: [{ code: "x".repeat(61), label: "x" }] })).toEqual([
      { field: "categories.0.code", message: "A category's code has at most 60 characters." },
    ]);
    expect(issues({ ...category, categories: [{ code: "1", label: "x".repeat(301) }] })).toEqual([
      { field: "categories.0.label", message: "A category's label has at most 300 characters." },
    ]);
    expect(issues({ ...category, categories: [{ code: 1, label: "One" }] })[0]).toMatchObject({ field: "categories.0.code" });
    expect(issues({ ...category, categories: "1, Male | 2" })).toEqual([
      {
        field: "categories",
        message: "The category “2” is not written as “code, label”: write code, label pairs separated by |, as in “1, Male | 2, Female”.",
      },
    ]);
  });

  it("allows at most 1000 categories", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ code: String(i), label: `Answer ${i}` }));
    expect(issues({ ...category, categories: many(1000) })).toEqual([]);
    expect(issues({ ...category, categories: many(1001) })).toEqual([
      { field: "categories", message: "A biomarker has at most 1000 categories." },
    ]);
  });
});
