import { describe, expect, it } from "vitest";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { parseOdmMetadata } from "#app/domain/odm-metadata.ts";
import type { ProposalParse } from "#app/domain/panel-proposal.ts";
import { parseRedcapDictionary, redcapDictionaryCsv } from "#app/domain/redcap-dictionary.ts";
import { REDCAP_CORPUS, redcapFixture } from "#tests/fixtures/make-redcap.ts";

const parseFile = (file: string): ProposalParse => (file.endsWith(".xml") ? parseOdmMetadata : parseRedcapDictionary)(redcapFixture(file));

describe("the REDCap and ODM fixture corpus", () => {
  it("is the committed output of its generator", () => {
    for (const c of REDCAP_CORPUS) expect(redcapFixture(c.file), c.file).toBe(c.content());
  });

  for (const c of REDCAP_CORPUS) {
    it(`${c.file}: ${c.what}`, () => {
      const result = parseFile(c.file);
      if (c.fails) {
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems[0].message).toMatch(c.fails.message);
        if (c.fails.row !== undefined) expect(result.problems[0].row).toBe(c.fails.row);
        return;
      }
      if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
      const { fields, skipped } = result.proposal;
      if (c.fields) expect(fields.map((f) => f.biomarker.code)).toEqual(c.fields);
      for (const [code, unit] of Object.entries(c.units ?? {})) {
        expect(fields.find((f) => f.biomarker.code === code)?.biomarker.unit, code).toBe(unit);
      }
      for (const [code, parts] of Object.entries(c.biomarkers ?? {})) {
        expect(fields.find((f) => f.biomarker.code === code)?.biomarker, code).toMatchObject(parts);
      }
      for (const [field, reason] of Object.entries(c.skipped ?? {})) {
        expect(
          skipped.filter((s) => s.field === field).map((s) => s.reason),
          field,
        ).toContainEqual(expect.stringMatching(reason));
      }
      if (c.skipped) expect([...new Set(skipped.map((s) => s.field))].sort()).toEqual(Object.keys(c.skipped).sort());
      if (c.counts) expect({ fields: fields.length, skipped: skipped.length }).toEqual(c.counts);
      // Every field is accounted for: proposed or skipped, each with where it is in the file.
      for (const f of [...fields, ...skipped]) expect(f.location).toMatch(/^(row \d+|ItemDef \S+)$/);
    });
  }

  it("names the row of every skipped field as a spreadsheet numbers it (header = row 1)", () => {
    const result = parseFile("odd-fields.csv");
    if (!result.ok) throw new Error("expected a proposal");
    expect(result.proposal.skipped.find((s) => s.field === "mood")?.location).toBe("row 6");
    expect(result.proposal.skipped.find((s) => s.field === "tnf")?.reason).toBe("the variable name is already used on row 3");
  });

  it("makes the choices of a categorical field the biomarker's categories, not a line of its description", () => {
    const result = parseFile("baseline-small.csv");
    if (!result.ok) throw new Error("expected a proposal");
    const symptoms = result.proposal.fields.find((f) => f.field === "symptoms")!;
    expect(symptoms.choices.map((c) => c.label)).toEqual(["Hypersomnia", "Fatigue", "Increased appetite", "Weight gain"]);
    expect(symptoms.biomarker.categories).toEqual(symptoms.choices);
    expect(symptoms.biomarker.categories[0]).toEqual({ code: "1", label: "Hypersomnia" });
    expect(symptoms.biomarker.description).not.toMatch(/Choices/);
    expect(symptoms.notes.join(" ")).toMatch(/symptoms___1/);
    // Numbers have none.
    expect(result.proposal.fields.find((f) => f.field === "crp_mgdl")?.biomarker.categories).toEqual([]);
  });

  it("fills categories from an ODM CodeList's decodes, in the list's order", () => {
    const result = parseFile("metadata.odm.xml");
    if (!result.ok) throw new Error("expected a proposal");
    const sex = result.proposal.fields.find((f) => f.biomarker.code === "sex")!;
    expect(sex.biomarker).toMatchObject({
      valueType: "category",
      categories: [
        { code: "1", label: "Male" },
        { code: "2", label: "Female" },
      ],
      description: "",
    });
  });
});

describe("a panel as a REDCap data dictionary", () => {
  const sex = {
    ...DEFAULT_BIOMARKERS[0],
    code: "sex",
    label: "Sex",
    unit: "",
    valueType: "category" as const,
    loinc: null,
    plausibleMin: null,
    plausibleMax: null,
    cutoffs: [],
    aliases: [],
    categories: [
      { code: "1", label: "Male" },
      { code: "2", label: "Female, or “other”, as stated" },
    ],
    description: "Self-reported.",
  };

  it("starts with REDCap's 18 columns and a record_id field", () => {
    const lines = redcapDictionaryCsv(DEFAULT_BIOMARKERS, "Core panel").split("\r\n");
    expect(lines[0]).toMatch(
      /^Variable \/ Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",/,
    );
    expect(lines[0].split(",")).toHaveLength(20); // one header holds two commas
    expect(lines[1]).toMatch(/^record_id,core_panel,,text,Record ID/);
    expect(lines[2]).toBe("hs_crp,core_panel,,text,hs-CRP (mg/L),,mg/L,number,0,300,,,,,,,,LOINC 30522-7");
  });

  it("writes a category biomarker's categories as a dropdown's choices", () => {
    const lines = redcapDictionaryCsv([sex], "Core panel").split("\r\n");
    expect(lines[2]).toBe('sex,core_panel,,dropdown,Sex,"1, Male | 2, Female, or “other”, as stated",,,,,,,,,,,,');
  });

  it("reads back as the same biomarkers: codes, labels, units, value types, ranges, LOINC and categories (round trip)", () => {
    const panel = [...DEFAULT_BIOMARKERS, sex];
    const result = parseRedcapDictionary(redcapDictionaryCsv(panel, "Core panel"));
    if (!result.ok) throw new Error("expected a proposal");
    const keep = (b: (typeof panel)[number]) => ({
      code: b.code,
      label: b.label,
      unit: b.unit,
      valueType: b.valueType,
      plausibleMin: b.plausibleMin,
      plausibleMax: b.plausibleMax,
      loinc: b.loinc,
      categories: b.categories,
    });
    expect(result.proposal.fields.map((f) => keep(f.biomarker))).toEqual(panel.map(keep));
    expect(result.proposal.fields.at(-1)?.biomarker.categories).toEqual(sex.categories);
    expect(result.proposal.skipped.map((s) => s.field)).toEqual(["record_id"]);
  });
});
