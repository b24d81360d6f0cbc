/**
 * REDCap records exports and ODM ClinicalData through the dataset upload
 * (decision 030): a longitudinal trial becomes a dataset with a visit column,
 * broken exports are refused naming the row and field with the database
 * unchanged, and the analyses read a dataset with visits as the same data
 * written one row per participant.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import { useServer } from "#tests/support/server.ts";
import { recordsFixture } from "#tests/fixtures/make-redcap.ts";
import { ARM_LABELS, BAD_ROWS, ODM_SUBJECTS, RECORDS_CORPUS, TRIAL } from "#tests/fixtures/redcap-records-corpus.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

const TABLES = ["datasets", "dataset_rows", "dataset_sources", "events"];
const databaseState = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await server.database.count(t)])));

const EVENT_VISITS = {
  baseline_arm_1: "baseline",
  baseline_arm_2: "baseline",
  week_4_arm_1: "week 4",
  week_4_arm_2: "week 4",
  week_12_arm_1: "week 12",
  week_12_arm_2: "week 12",
};
/** The site's `crp` is the panel's hs_crp; its unit comes from the dictionary (mg/dL). */
const MAPPING = { visit: { visits: EVENT_VISITS }, "crp (mg/dL)": { biomarker: "hs_crp" } };

const upload = (file: string, options: Parameters<typeof uploadDataset>[4] = {}) =>
  uploadDataset(team.contributor.api, team.workspaceId, studyId, recordsFixture(file), {
    fileName: file,
    type: file.endsWith(".xml") ? "application/xml" : "text/csv",
    ...options,
  });
const withDictionary = (file: string, options: Parameters<typeof uploadDataset>[4] = {}) =>
  upload(file, { dictionary: recordsFixture("dictionary.csv"), mapping: MAPPING, ...options });

async function allRows(datasetId: string) {
  const page = await team.observer.api.get(`${ws()}/datasets/${datasetId}/rows?offset=0&limit=1000`);
  expect(page.status).toBe(200);
  return page.body.items as { participantId: string; arm: string | null; values: (number | string | null)[] }[];
}

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  ({ studyId } = await studyWithDefaultPanel(team.lead.api, team.workspaceId, "Minocycline trial"));
});

describe("a REDCap records export with its dictionary", () => {
  it("is proposed with its events and the visits they become, and a dry run saves nothing", async () => {
    const before = await databaseState();
    const proposal = await withDictionary("longitudinal.csv", { dryRun: true, mapping: { visit: { visits: { week_12_arm_1: "end" } } } });
    expect(proposal.status).toBe(200);
    expect(proposal.body.records).toMatchObject({ source: "redcap", dictionary: "file", visitColumn: "visit", repeats: "rows" });
    expect(proposal.body.records.events).toContainEqual({ event: "week_12_arm_1", visit: "end" });
    expect(proposal.body.records.events).toContainEqual({ event: "week_4_arm_2", visit: "week 4" });
    expect(proposal.body.records.repeatedInstruments).toEqual(["concomitant_meds"]);
    expect(proposal.body.columns.find((c: any) => c.name === "visit")).toMatchObject({ role: "visit", matchedBy: "mapping" });
    expect(proposal.body.problem).toBeNull();
    expect(await databaseState()).toEqual(before);
  });

  it("becomes a dataset: a row per participant, visit and repeat, labels for codes, options as 0/1 columns, CRP in mg/L", async () => {
    const uploaded = await withDictionary("longitudinal.csv", { name: "Trial records" });
    expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 400)).toBe(201);
    const meds = TRIAL.reduce((n, p) => n + p.meds.length, 0);
    expect(uploaded.body).toMatchObject({ rowCount: TRIAL.length * 3 + meds, source: { format: "csv", fileName: "longitudinal.csv" } });
    const columns = uploaded.body.columns as any[];
    expect(columns.find((c) => c.role === "visit")).toMatchObject({ name: "visit", visits: ["baseline", "week 4", "week 12"] });
    expect(columns.find((c) => c.role === "instance")).toMatchObject({ name: "instance" });
    expect(columns.find((c) => c.name === "crp (mg/dL)")).toMatchObject({
      biomarker: "hs_crp",
      unit: "mg/L",
      convertedFrom: "mg/dL",
      factor: 10,
    });
    expect(columns.find((c) => c.name === "group")).toMatchObject({ role: "arm" });
    expect(columns.map((c) => c.name)).not.toContain("initials");
    expect(uploaded.body.warnings.map((w: any) => w.message).join(" ")).toMatch(/initials \(marked as an identifier/);

    const rows = await allRows(uploaded.body.id);
    const at = (name: string) => columns.findIndex((c) => c.name === name);
    for (const p of TRIAL) {
      const baseline = rows.find(
        (r) => r.participantId === p.id && r.values[at("visit")] === "baseline" && r.values[at("instance")] === null,
      )!;
      expect(baseline.arm).toBe(ARM_LABELS[p.arm]);
      expect(baseline.values[at("sex")]).toBe(p.sex === 1 ? "Male" : "Female");
      expect(baseline.values[at("crp (mg/dL)")]).toBeCloseTo(p.crp[0] * 10, 9);
      expect(baseline.values[at("symptoms: Fatigue")]).toBe(p.symptoms.includes(2) ? 1 : 0);
      const week12 = rows.find((r) => r.participantId === p.id && r.values[at("visit")] === "week 12")!;
      expect(week12.values[at("hamd")]).toBe(p.hamd[2]);
    }
    const events = await team.lead.api.get(`${ws()}/events?limit=100`);
    expect(events.body.items.filter((e: any) => e.type === "dataset.imported" && e.target.id === uploaded.body.id)).toHaveLength(1);
  });

  it("reads the European save (BOM, `;`, decimal commas) to the same rows", async () => {
    const plain = await withDictionary("longitudinal.csv", { name: "Plain" });
    const european = await withDictionary("european.csv", { name: "European" });
    expect([plain.status, european.status]).toEqual([201, 201]);
    expect(european.body.columns).toEqual(plain.body.columns);
    expect((await allRows(european.body.id)).map((r) => r.values)).toEqual((await allRows(plain.body.id)).map((r) => r.values));
  });

  it("reduces the repeating instrument to one row per visit when asked (mean of the doses)", async () => {
    const reduced = await withDictionary("longitudinal.csv", { name: "Reduced", fields: { repeats: "mean" } });
    expect(reduced.status).toBe(201);
    expect(reduced.body.rowCount).toBe(TRIAL.length * 3);
    const dose = reduced.body.columns.findIndex((c: any) => c.name === "med_dose (mg)");
    const rows = await allRows(reduced.body.id);
    for (const p of TRIAL.filter((t) => t.meds.length > 0)) {
      const values = rows.filter((r) => r.participantId === p.id && r.values[dose] !== null).map((r) => r.values[dose]);
      expect(values).toEqual([p.meds.reduce((a, b) => a + b, 0) / p.meds.length]);
    }
  });

  it("reads a classic project's export sent with format=redcap", async () => {
    const classic = await withDictionary("classic.csv", { name: "Classic", fields: { format: "redcap" }, mapping: MAPPING_WITHOUT_VISIT });
    expect(classic.status, JSON.stringify(classic.body).slice(0, 300)).toBe(201);
    expect(classic.body.rowCount).toBe(TRIAL.length);
    expect(classic.body.columns.some((c: any) => c.role === "visit")).toBe(false);
  });
});

const MAPPING_WITHOUT_VISIT = { "crp (mg/dL)": { biomarker: "hs_crp" } };

describe("ODM ClinicalData", () => {
  it("becomes a dataset with a visit per study event and repeated forms as instances", async () => {
    const uploaded = await upload("clinical-data.odm.xml", { name: "ODM records", mapping: { "crp (mg/L)": { biomarker: "hs_crp" } } });
    expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 400)).toBe(201);
    expect(uploaded.body.source.format).toBe("xml");
    const columns = uploaded.body.columns as any[];
    expect(columns.find((c) => c.role === "visit")!.visits).toEqual(["Baseline", "Week 12"]);
    const rows = await allRows(uploaded.body.id);
    const at = (name: string) => columns.findIndex((c) => c.name === name);
    for (const s of ODM_SUBJECTS) {
      const baseline = rows.find(
        (r) => r.participantId === s.key && r.values[at("visit")] === "Baseline" && r.values[at("instance")] === null,
      )!;
      expect(baseline.values[at("crp (mg/L)")]).toBe(Number(s.crp));
      expect(baseline.values[at("sex")]).toBe(s.sex === "1" ? "Male" : "Female");
    }
  });
});

describe("a broken records export", () => {
  for (const c of RECORDS_CORPUS.filter((c) => c.fails)) {
    it(`is refused naming its row and field, and changes nothing: ${c.what} (${c.file})`, async () => {
      const before = await databaseState();
      const response = c.file.endsWith(".xml") ? await upload(c.file) : await withDictionary(c.file);
      expect(response.status, JSON.stringify(response.body).slice(0, 400)).toBe(400);
      expect(response.body.error.message).toMatch(c.fails!.message);
      if (c.fails!.row !== undefined) expect(response.body.error.details[0].row).toBe(c.fails!.row);
      if (c.fails!.column !== undefined) expect(response.body.error.details[0].column).toBe(c.fails!.column);
      expect(await databaseState()).toEqual(before);
    });
  }

  it("is refused when two events become one visit of the same participant, naming the row", async () => {
    const before = await databaseState();
    const response = await withDictionary("longitudinal.csv", {
      mapping: { visit: { visits: { ...EVENT_VISITS, week_4_arm_1: "follow-up", week_12_arm_1: "follow-up" } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /^Row \d+, column “participant_id”: participant id “1001” at visit “follow-up” appears again/,
    );
    expect(await databaseState()).toEqual(before);
  });

  it("refuses a dictionary sent with a plain table, and repeats it does not know", async () => {
    const plain = await uploadDataset(team.contributor.api, team.workspaceId, studyId, "participant_id,crp\nP1,1\n", {
      dictionary: recordsFixture("dictionary.csv"),
    });
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toMatch(/A dictionary goes with a REDCap records export/);
    const repeats = await withDictionary("longitudinal.csv", { fields: { repeats: "median" } });
    expect(repeats.status).toBe(400);
    expect(repeats.body.error.message).toMatch(/repeats is one of: rows, first, last, mean/);
  });

  it(`names the row of a bad number (row ${BAD_ROWS.crp}) also when read with the study's panel`, async () => {
    const before = await databaseState();
    // The default panel does not know `crp`: the transform keeps it as written, and the panel's hs_crp check refuses it.
    const response = await upload("bad-number.csv", { mapping: { crp: { biomarker: "hs_crp", unit: "mg/dL" } } });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0]).toMatchObject({ row: BAD_ROWS.crp, column: "crp" });
    expect(await databaseState()).toEqual(before);
  });
});

describe("records read with the study's panel imported from the dictionary", () => {
  it("take the field types, units and choices from the panel when no dictionary is sent", async () => {
    const imported = await team.lead.api.request("POST", `${ws()}/panels/import`, recordsFixture("dictionary.csv").toString("utf8"), {
      "content-type": "text/csv",
    });
    expect(imported.status, JSON.stringify(imported.body).slice(0, 300)).toBe(201);
    const study = await team.lead.api.post(`${ws()}/studies`, { title: "Site with an imported panel", panelId: imported.body.panel.id });
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, study.body.id, recordsFixture("longitudinal.csv"), {
      fileName: "longitudinal.csv",
      name: "From the panel",
    });
    expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 400)).toBe(201);
    const columns = uploaded.body.columns as any[];
    expect(columns.find((c) => c.name === "crp (mg/dL)")).toMatchObject({ role: "biomarker", biomarker: "crp", unit: "mg/dL" });
    expect(columns.some((c) => c.name === "symptoms: Weight gain")).toBe(true);
    const rows = await allRows(uploaded.body.id);
    const sex = columns.findIndex((c) => c.name === "sex");
    expect(rows[0].values[sex]).toBe(TRIAL[0].sex === 1 ? "Male" : "Female");
  });
});

describe("analyses of a dataset with visits", () => {
  /** The same participants written one row per participant, as a site would by hand. */
  const wide = () =>
    [
      "participant_id,arm,CRP (mg/dL),hamd_baseline,hamd_week4,hamd_week12",
      ...TRIAL.map((p) => [p.id, ARM_LABELS[p.arm], p.crp[0], ...p.hamd].join(",")),
    ].join("\n");

  it("give the same profile counts and per-arm outcome summaries as the same data one row per participant", async () => {
    const panel = (await team.lead.api.get(`${ws()}/studies/${studyId}`)).body.panelId;
    const arms = [
      { name: ARM_LABELS[1], class: "anti-inflammatory" },
      { name: ARM_LABELS[2], class: "placebo" },
    ];
    const outcomes = [{ name: "HAM-D change from baseline", kind: "continuous" }];
    const byVisit = await team.lead.api.post(`${ws()}/studies`, { title: "Trial, by visit", panelId: panel, arms, outcomes });
    const oneRow = await team.lead.api.post(`${ws()}/studies`, { title: "Trial, one row each", panelId: panel, arms, outcomes });
    const visits = await uploadDataset(team.contributor.api, team.workspaceId, byVisit.body.id, recordsFixture("longitudinal.csv"), {
      fileName: "longitudinal.csv",
      dictionary: recordsFixture("dictionary.csv"),
      mapping: MAPPING,
    });
    const rows = await uploadDataset(team.contributor.api, team.workspaceId, oneRow.body.id, wide());
    expect([visits.status, rows.status]).toEqual([201, 201]);

    const profile = await team.lead.api.post(`${ws()}/profiles`, {
      name: "Raised CRP",
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
    });
    expect(profile.status).toBe(201);
    const counts = await team.observer.api.get(`${ws()}/profiles/${profile.body.id}/counts`);
    const of = (datasetId: string) => counts.body.items.find((d: any) => d.datasetId === datasetId);
    expect(of(visits.body.id).arms).toEqual(of(rows.body.id).arms);
    // Baseline CRP (×10 to mg/L) above 3 mg/L: counted from the fixture, per arm.
    const raised = (arm: 1 | 2) => TRIAL.filter((p) => p.arm === arm && p.crp[0] * 10 > 3).length;
    expect(of(visits.body.id).arms.map((a: any) => [a.arm, a.total, a.matched])).toEqual([
      [ARM_LABELS[1], 4, raised(1)],
      [ARM_LABELS[2], 4, raised(2)],
    ]);

    const comparison = await team.observer.api.get(`${ws()}/comparison`);
    expect(comparison.status).toBe(200);
    const input = (id: string) => comparison.body.inputs.find((i: any) => i.studyId === id && i.profileId === profile.body.id);
    expect(input(byVisit.body.id).data).toEqual(input(oneRow.body.id).data);
    expect(input(byVisit.body.id).outcomeDefinition).toBe("hamd_baseline − hamd_week 12 (positive = the score fell)");
    const changes = TRIAL.filter((p) => p.arm === 1 && p.crp[0] * 10 > 3).map((p) => p.hamd[0] - p.hamd[2]);
    expect(input(byVisit.body.id).data.intervention.n).toBe(changes.length);
    expect(input(byVisit.body.id).data.intervention.mean).toBeCloseTo(changes.reduce((a, b) => a + b, 0) / changes.length, 12);

    // Effect modification reads baseline CRP and the change the same way: the same trial fit from either upload.
    const em = await team.observer.api.get(
      `${ws()}/effect-modification?outcome=${encodeURIComponent(outcomes[0].name)}&intervention=${ARM_LABELS[1]}`,
    );
    expect(em.status, JSON.stringify(em.body).slice(0, 300)).toBe(200);
    const trial = (id: string) => em.body.trials.find((t: any) => t.studyId === id);
    expect(trial(byVisit.body.id).n).toBe(TRIAL.length);
    expect(trial(byVisit.body.id).fit).not.toBeNull();
    expect([trial(byVisit.body.id).n, trial(byVisit.body.id).fit]).toEqual([trial(oneRow.body.id).n, trial(oneRow.body.id).fit]);
  });
});
