import { describe, expect, it } from "vitest";
import type { RecordsTable, RepeatRule } from "#app/domain/clinical-records.ts";
import { DatasetFileError } from "#app/domain/dataset-files.ts";
import { readOdmClinicalData } from "#app/domain/odm-clinical-data.ts";
import { fieldsFromDictionary, fieldsFromPanel, looksLikeRedcapRecords, readRedcapRecords } from "#app/domain/redcap-records.ts";
import { recordsFixture } from "#tests/fixtures/make-redcap.ts";
import { ARM_LABELS, ODM_SUBJECTS, RECORDS_CORPUS, SYMPTOMS, TRIAL } from "#tests/fixtures/redcap-records-corpus.ts";

const text = (file: string) => recordsFixture(file).toString("utf8");
const dictionary = () => fieldsFromDictionary(text("dictionary.csv"));
const redcap = (file: string, repeats: RepeatRule = "rows") => readRedcapRecords(text(file), dictionary(), { repeats });
const read = (file: string, repeats: RepeatRule = "rows") =>
  file.endsWith(".xml") ? readOdmClinicalData(text(file), { repeats }) : redcap(file, repeats);

/** The table's rows as objects keyed by header, for reading expectations by name. */
const objects = (table: RecordsTable) => table.records.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.cells[i]])));

function refusal(run: () => unknown): DatasetFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetFileError) return error;
    throw error;
  }
  throw new Error("expected the file to be refused");
}

describe("the records corpus", () => {
  it("is the committed output of its generator", () => {
    for (const c of RECORDS_CORPUS) expect(text(c.file), c.file).toBe(c.content());
  });

  for (const c of RECORDS_CORPUS.filter((c) => c.fails)) {
    it(`${c.file} is refused naming its row and field: ${c.what}`, () => {
      const error = refusal(() => read(c.file));
      expect(error.message).toMatch(c.fails!.message);
      if (c.fails!.row !== undefined) expect(error.where.row).toBe(c.fails!.row);
      if (c.fails!.column !== undefined) expect(error.where.column).toBe(c.fails!.column);
    });
  }
});

describe("a longitudinal REDCap export with its dictionary", () => {
  it("is recognised by its header, in either delimiter", () => {
    expect(looksLikeRedcapRecords(text("longitudinal.csv"))).toBe(true);
    expect(looksLikeRedcapRecords(text("european.csv"))).toBe(true);
    expect(looksLikeRedcapRecords(text("classic.csv"))).toBe(false);
    expect(looksLikeRedcapRecords("participant_id,crp\n1,2\n")).toBe(false);
  });

  it("gives a participant id, a visit, an instance, labelled choices, one column per checkbox option and units in headers", () => {
    const table = redcap("longitudinal.csv");
    expect(table.header).toEqual([
      "participant_id",
      "visit",
      "instance",
      "group",
      "sex",
      "visit_date",
      "crp (mg/dL)",
      "il6 (pg/mL)",
      "sbp (mm[Hg])",
      ...SYMPTOMS.map((s) => `symptoms: ${s}`),
      "hamd",
      "response",
      "med_dose (mg)",
    ]);
    expect(table.events).toEqual(["baseline_arm_1", "week_4_arm_1", "week_12_arm_1", "baseline_arm_2", "week_4_arm_2", "week_12_arm_2"]);
    expect(table.repeatedInstruments).toEqual(["concomitant_meds"]);
    expect(table.mapping).toMatchObject({
      participant_id: { role: "participant_id" },
      visit: { role: "visit" },
      instance: { role: "instance" },
    });
    // The identifier and REDCap's form status columns stay out, and say so.
    expect(table.notes.join(" ")).toMatch(/initials \(marked as an identifier/);
    expect(table.notes.join(" ")).toMatch(/enrolment_complete \(REDCap's form status\)/);

    const rows = objects(table);
    const meds = TRIAL.reduce((n, p) => n + p.meds.length, 0);
    expect(rows).toHaveLength(TRIAL.length * 3 + meds);
    for (const p of TRIAL) {
      const baseline = rows.find((r) => r.participant_id === p.id && r.visit === `baseline_arm_${p.arm}` && r.instance === "")!;
      expect(baseline.group).toBe(ARM_LABELS[p.arm]);
      expect(baseline.sex).toBe(p.sex === 1 ? "Male" : "Female");
      expect(baseline["crp (mg/dL)"]).toBe(String(p.crp[0]));
      SYMPTOMS.forEach((s, i) => expect(baseline[`symptoms: ${s}`]).toBe(p.symptoms.includes(i + 1) ? "1" : "0"));
      const week12 = rows.find((r) => r.participant_id === p.id && r.visit === `week_12_arm_${p.arm}`)!;
      expect(week12.response).toBe(p.hamd[2] <= p.hamd[0] / 2 ? "Yes" : "No");
      const doses = rows.filter((r) => r.participant_id === p.id && r.instance !== "").map((r) => [r.instance, r["med_dose (mg)"]]);
      expect(doses).toEqual(p.meds.map((d, i) => [String(i + 1), String(d)]));
    }
  });

  it("reduces a repeating instrument to the first, last or mean instance when asked", () => {
    const dose = (repeats: RepeatRule, id: string) =>
      objects(redcap("longitudinal.csv", repeats)).find((r) => r.participant_id === id && r.visit.startsWith("baseline"))!["med_dose (mg)"];
    for (const repeats of ["first", "last", "mean"] as const) {
      const table = redcap("longitudinal.csv", repeats);
      expect(table.header).not.toContain("instance");
      expect(table.records).toHaveLength(TRIAL.length * 3);
      expect(table.notes.join(" ")).toMatch(new RegExp(`reduced to one row per visit: the ${repeats === "mean" ? "mean" : repeats}`));
    }
    const with3 = TRIAL.find((p) => p.meds.length === 3)!;
    expect(dose("first", with3.id)).toBe(String(with3.meds[0]));
    expect(dose("last", with3.id)).toBe(String(with3.meds[2]));
    expect(Number(dose("mean", with3.id))).toBe(with3.meds.reduce((a, b) => a + b, 0) / 3);
    // The other baseline values are untouched by the reduction.
    const row = objects(redcap("longitudinal.csv", "mean")).find((r) => r.participant_id === with3.id && r.visit.startsWith("baseline"))!;
    expect(row["crp (mg/dL)"]).toBe(String(with3.crp[0]));
  });

  it("reads the European save (BOM, `;`, decimal commas, CRLF) to the same table", () => {
    const european = redcap("european.csv");
    const plain = redcap("longitudinal.csv");
    expect(european.header).toEqual(plain.header);
    expect(european.records).toEqual(plain.records);
  });

  it("refuses a decimal comma in a comma-separated file, since there it may be a thousands separator", () => {
    const file = text("longitudinal.csv").replace(",0.52,", ',"0,52",');
    expect(refusal(() => readRedcapRecords(file, dictionary(), { repeats: "rows" })).message).toMatch(
      /Row 2, field “crp”: “0,52” is not a number \(a decimal comma in a comma-separated file is ambiguous\)/,
    );
  });

  it("reads a classic project (no REDCap columns) without a visit column", () => {
    const table = redcap("classic.csv");
    expect(table.header.slice(0, 3)).toEqual(["participant_id", "group", "sex"]);
    expect(table.records).toHaveLength(TRIAL.length);
    expect(table.events).toEqual([]);
  });
});

describe("records read with the study's panel instead of a dictionary", () => {
  it("finds fields by code and alias, with the panel's unit and its categories", () => {
    const fields = fieldsFromPanel([
      { code: "hs_crp", unit: "mg/dL", valueType: "numeric", aliases: ["crp"], categories: [] },
      {
        code: "sex",
        unit: "",
        valueType: "category",
        aliases: [],
        categories: [
          { code: "1", label: "Male" },
          { code: "2", label: "Female" },
        ],
      },
      {
        code: "symptoms",
        unit: "",
        valueType: "category",
        aliases: [],
        categories: SYMPTOMS.map((label, i) => ({ code: String(i + 1), label })),
      },
    ]);
    const table = readRedcapRecords(text("longitudinal.csv"), fields, { repeats: "rows" });
    expect(table.header).toContain("crp (mg/dL)");
    expect(table.header).toContain("symptoms: Fatigue");
    // Fields the panel does not know are kept as written: the group stays coded.
    const first = objects(table)[0];
    expect(first.sex).toBe("Female");
    expect(first.group).toBe("1");
  });
});

describe("ODM ClinicalData", () => {
  it("gives a participant per subject, a visit per event, decoded codes, units in headers and repeated forms as instances", () => {
    const table = read("clinical-data.odm.xml");
    expect(table.header).toEqual(["participant_id", "visit", "instance", "sex", "crp (mg/L)", "il6 (pg/mL)", "hamd", "med_dose (mg)"]);
    expect(table.events).toEqual(["Baseline", "Week 12"]);
    const rows = objects(table);
    for (const s of ODM_SUBJECTS) {
      const baseline = rows.find((r) => r.participant_id === s.key && r.visit === "Baseline" && r.instance === "")!;
      expect(baseline).toMatchObject({ sex: s.sex === "1" ? "Male" : "Female", "crp (mg/L)": s.crp, hamd: s.hamd[0] });
      expect(rows.find((r) => r.participant_id === s.key && r.visit === "Week 12")!.hamd).toBe(s.hamd[1]);
      expect(rows.filter((r) => r.participant_id === s.key && r.instance !== "").map((r) => r["med_dose (mg)"])).toEqual(s.meds);
    }
  });

  it("reads a repeated study event (StudyEventRepeatKey) as instances of one visit", () => {
    const s = ODM_SUBJECTS[1];
    const week12 = /(<SubjectData SubjectKey="1002">[\s\S]*?)<StudyEventData StudyEventOID="SE.WEEK12">([\s\S]*?)<\/StudyEventData>/;
    const file = text("clinical-data.odm.xml").replace(
      week12,
      (_m, before: string, inside: string) =>
        `${before}<StudyEventData StudyEventOID="SE.WEEK12" StudyEventRepeatKey="1">${inside}</StudyEventData>` +
        `<StudyEventData StudyEventOID="SE.WEEK12" StudyEventRepeatKey="2">${inside.replace(`Value="${s.hamd[1]}"`, 'Value="30"')}</StudyEventData>`,
    );
    const kept = objects(readOdmClinicalData(file, { repeats: "rows" })).filter((r) => r.participant_id === s.key && r.visit === "Week 12");
    expect(kept.map((r) => [r.instance, r.hamd])).toEqual([
      ["1", s.hamd[1]],
      ["2", "30"],
    ]);
    const last = objects(readOdmClinicalData(file, { repeats: "last" })).filter((r) => r.participant_id === s.key && r.visit === "Week 12");
    expect(last.map((r) => r.hamd)).toEqual(["30"]);
  });

  it("reduces repeated forms like REDCap's repeating instruments", () => {
    const rows = objects(read("clinical-data.odm.xml", "mean"));
    expect(rows).toHaveLength(ODM_SUBJECTS.length * 2);
    const s = ODM_SUBJECTS[0];
    expect(Number(rows.find((r) => r.participant_id === s.key && r.visit === "Baseline")!["med_dose (mg)"])).toBe(
      s.meds.reduce((a, b) => a + Number(b), 0) / s.meds.length,
    );
  });
});
