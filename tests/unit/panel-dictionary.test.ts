import { describe, expect, it } from "vitest";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { DICTIONARY_COLUMNS } from "#app/domain/dictionary-columns.ts";
import { describeProblem, dictionaryCsv, parseDictionaryCsv } from "#app/domain/panel-dictionary.ts";
import { checkBiomarkerRow } from "#app/schemas/panels.ts";

const HEADER = DICTIONARY_COLUMNS.map((c) => c.name).join(",");

function parsed(text: string) {
  const result = parseDictionaryCsv(text, checkBiomarkerRow);
  if (!result.ok) throw new Error(result.problems.map(describeProblem).join("\n"));
  return result.biomarkers;
}

function problems(text: string) {
  const result = parseDictionaryCsv(text, checkBiomarkerRow);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

describe("the data dictionary CSV", () => {
  it("exports the documented columns in order, one row per biomarker", () => {
    const csv = dictionaryCsv(DEFAULT_BIOMARKERS);
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(DEFAULT_BIOMARKERS.length + 1);
    expect(lines[1]).toContain("hs_crp,hs-CRP,30522-7,serum,mg/L,numeric,,0,300,low<1; high>3; suggests acute infection>=10");
  });

  const sex = {
    ...DEFAULT_BIOMARKERS[0],
    code: "sex",
    label: "Sex",
    specimen: null,
    loinc: null,
    unit: "",
    valueType: "category" as const,
    categories: [
      { code: "1", label: "Male" },
      { code: "2", label: "Female, as stated" },
      { code: "-9", label: "=not asked" },
    ],
    plausibleMin: null,
    plausibleMax: null,
    cutoffs: [],
    aliases: [],
    description: "Self-reported.",
  };

  it("writes a category biomarker's categories in REDCap's syntax and reads them back identically (round trip)", () => {
    const csv = dictionaryCsv([...DEFAULT_BIOMARKERS, sex]);
    expect(csv.trim().split("\r\n").at(-1)).toBe(
      'sex,Sex,,,,category,"1, Male | 2, Female, as stated | -9, =not asked",,,,,,,Self-reported.',
    );
    expect(parsed(csv)).toEqual([...DEFAULT_BIOMARKERS, sex]);
  });

  it("reads categories written one per line or with loose spacing", () => {
    const [b] = parsed('code,label,value_type,categories\nsmoker,Smoker,category,"1 ,Yes|0,  No\n9, Unknown"\n');
    expect(b.categories).toEqual([
      { code: "1", label: "Yes" },
      { code: "0", label: "No" },
      { code: "9", label: "Unknown" },
    ]);
  });

  it("names the row and the categories column of categories that do not read or break the rules", () => {
    const text = [
      "code,label,value_type,categories",
      "a,A,category,1 Male | 2 Female",
      'b,B,category,"1, Male | 1, Again"',
      'c,C,numeric,"1, Male"',
      `d,D,category,"${"x".repeat(61)}, Long code"`,
    ].join("\n");
    expect(problems(text)).toEqual([
      { row: 2, column: "categories", message: expect.stringMatching(/^The category “1 Male” is not written as “code, label”/) },
      { row: 3, column: "categories", message: expect.stringMatching(/^The category code “1” appears twice/) },
      { row: 4, column: "categories", message: "Only category biomarkers have categories; this one is numeric." },
      { row: 5, column: "categories", message: "A category's code has at most 60 characters." },
    ]);
  });

  it("takes categories out of the description of a file exported before they had a column", () => {
    const old =
      'code,label,value_type,description\nsex,Sex,category,"Self-reported.\nChoices: 1, Male | 2, Female"\nnote,Note,text,"Choices: 1, A"\n';
    const [category, text] = parsed(old);
    expect(category).toMatchObject({
      categories: [
        { code: "1", label: "Male" },
        { code: "2", label: "Female" },
      ],
      description: "Self-reported.",
    });
    // Only a category biomarker has categories: a text one keeps the line as its description.
    expect(text).toMatchObject({ categories: [], description: "Choices: 1, A" });
    // With the column present, the file says what the categories are, and the description stays as written.
    const withColumn = parsed('code,label,value_type,categories,description\nsex,Sex,category,,"Choices: 1, Male"\n');
    expect(withColumn[0]).toMatchObject({ categories: [], description: "Choices: 1, Male" });
  });

  it("gives back the same panel when an export is imported (round trip)", () => {
    expect(parsed(dictionaryCsv(DEFAULT_BIOMARKERS))).toEqual(DEFAULT_BIOMARKERS);
  });

  it("keeps a convention factor exact and a note with parentheses through the round trip", () => {
    const insulin = parsed(dictionaryCsv(DEFAULT_BIOMARKERS)).find((b) => b.code === "insulin")!;
    expect(insulin.unitConventions).toEqual([{ unit: "pmol/L", factor: 1 / 6, note: "1 µIU/mL = 6.0 pmol/L (assay convention)" }]);
  });

  it("opens formula-like text as text in a spreadsheet, and reads it back unchanged", () => {
    const risky = { ...DEFAULT_BIOMARKERS[0], description: '=HYPERLINK("http://evil")', label: "-CRP", plausibleMin: -5 };
    const csv = dictionaryCsv([risky]);
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).toContain(",'-CRP,");
    expect(csv).toContain(",-5,");
    expect(parsed(csv)).toEqual([risky]);
  });

  it("accepts a minimal file with only code and label, in any column order and case", () => {
    expect(parsed("Label,CODE\nBody mass index,bmi\n")).toEqual([
      expect.objectContaining({ code: "bmi", label: "Body mass index", unit: "", valueType: "numeric", cutoffs: [], aliases: [] }),
    ]);
  });

  it("normalises units to UCUM spelling (µIU/mL → u[IU]/mL)", () => {
    expect(parsed("code,label,unit\ninsulin,Insulin,µIU/mL\n")[0].unit).toBe("u[IU]/mL");
  });

  it("skips blank rows and tolerates a byte-order mark", () => {
    expect(parsed("\uFEFFcode,label\n,\nil6,IL-6\n\n")).toHaveLength(1);
  });

  it("names the row and column of a bad unit, with the spreadsheet's row number", () => {
    const text = `code,label,unit\nhs_crp,hs-CRP,mg/L\nil6,IL-6,pg/mL\nglucose,Glucose,mg/dl/x\n`;
    const [problem] = problems(text);
    expect(problem).toEqual({ row: 4, column: "unit", message: "“mg/dl/x” is not a UCUM unit." });
    expect(describeProblem(problem)).toBe("row 4, column unit: “mg/dl/x” is not a UCUM unit.");
  });

  it("reports every problem of every row, not only the first", () => {
    const text = [
      "code,label,unit,plausible_min,plausible_max,cutoffs,unit_conventions",
      "Bad Code,X,mg/L,,,,",
      "ok,Fine,mg/L,5,1,,",
      "ok2,Fine,mmHg,,,low<x,pmol/L*zero",
    ].join("\n");
    const found = problems(text).map((p) => [p.row, p.column]);
    expect(found).toEqual([
      [2, "code"],
      [3, "plausible_max"],
      [4, "unit"],
      [4, "cutoffs"],
      [4, "unit_conventions"],
    ]);
    const unit = problems(text).find((p) => p.row === 4 && p.column === "unit")!;
    expect(unit.message).toContain("did you mean “mm[Hg]”");
  });

  it("refuses a code used twice, pointing at the second row", () => {
    expect(problems("code,label\ncrp,CRP\ncrp,CRP again\n")).toEqual([
      { row: 3, column: "code", message: "The code “crp” is already used on row 2; codes are unique in a panel." },
    ]);
  });

  it("refuses unknown, duplicated or missing header columns on row 1", () => {
    expect(problems("code,label,units\nx,X,mg\n")).toEqual([expect.objectContaining({ row: 1, column: "units" })]);
    expect(problems("code,label,code\nx,X,x\n")).toEqual([expect.objectContaining({ row: 1, column: "code" })]);
    expect(problems("label,unit\nX,mg\n")).toEqual([expect.objectContaining({ row: 1, column: "code" })]);
  });

  it("refuses an empty file, a header alone, a row with too many cells, and unreadable CSV", () => {
    expect(problems("")[0].message).toMatch(/empty/);
    expect(problems(`${HEADER}\n`)[0].message).toMatch(/no biomarker rows/);
    expect(problems("code,label\nx,X,extra\n")[0]).toMatchObject({ row: 2, message: expect.stringMatching(/3 cells/) });
    expect(problems('code,label\nx,"unclosed\n')[0].message).toMatch(/not readable as CSV/);
  });

  it("refuses a range or cut-offs on a text biomarker", () => {
    const [problem] = problems("code,label,value_type,cutoffs\nnote,Note,text,high>3\n");
    expect(problem).toMatchObject({ row: 2, column: "cutoffs" });
  });
});
