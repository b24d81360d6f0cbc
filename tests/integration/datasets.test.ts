import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

const RAISON_CSV = [
  "participant_id,arm,CRP (mg/dL),glucose_mg_dl,bmi,hamd_baseline",
  "P001,infliximab,0.52,99,31.2,24",
  "P002,placebo,0.08,110,27.9,22",
  "P003,infliximab,0.31,95,33.0,26",
  "P004,placebo,45,88,29.4,21",
].join("\n");

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  ({ studyId } = await studyWithDefaultPanel(team.lead.api, team.workspaceId));
});

describe("dataset upload", () => {
  it("lets a contributor upload a CSV whose mg/dL columns are converted to the panel's units, and says so", async () => {
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, studyId, RAISON_CSV, { name: "Raison 2013 (synthetic)" });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ rowCount: 4, name: "Raison 2013 (synthetic)", version: 1, kind: "participant", studyId });
    const columns = Object.fromEntries(uploaded.body.columns.map((c: any) => [c.name, c]));
    expect(columns["participant_id"]).toMatchObject({ role: "participant_id" });
    expect(columns["arm"]).toMatchObject({ role: "arm" });
    expect(columns["CRP (mg/dL)"]).toMatchObject({ biomarker: "hs_crp", unit: "mg/L", convertedFrom: "mg/dL", factor: 10 });
    expect(columns["glucose_mg_dl"]).toMatchObject({ biomarker: "glucose", unit: "mmol/L", convertedFrom: "mg/dL" });
    expect(columns["bmi"]).toMatchObject({ biomarker: "bmi", unit: "kg/m2", convertedFrom: null });
    expect(columns["hamd_baseline"]).toMatchObject({ role: "value", biomarker: null, valueType: "numeric" });
    // 45 mg/dL = 450 mg/L: kept, and flagged as outside the plausible range.
    expect(columns["CRP (mg/dL)"].flaggedCount).toBe(1);
    expect(uploaded.body.warnings.some((w: any) => w.column === "CRP (mg/dL)" && w.rows.includes(5))).toBe(true);

    const rows = await team.observer.api.get(`${ws()}/datasets/${uploaded.body.id}/rows?offset=0&limit=10`);
    expect(rows.status).toBe(200);
    expect(rows.body.total).toBe(4);
    expect(rows.body.items[0]).toMatchObject({ rowIndex: 0, participantId: "P001", arm: "infliximab" });
    expect(rows.body.items[0].values[2]).toBe(5.2);
    expect(rows.body.items[0].values[3]).toBeCloseTo(99 / 18.016, 6);
    expect(rows.body.items[3].values[2]).toBe(450);

    const read = await team.observer.api.get(`${ws()}/datasets/${uploaded.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: uploaded.body.id, version: 1, uploadedBy: team.contributor.id });
    expect(read.body.columns).toEqual(uploaded.body.columns);

    const study = await team.observer.api.get(`${ws()}/studies/${studyId}`);
    expect(study.body.datasets).toContainEqual({ id: uploaded.body.id, name: "Raison 2013 (synthetic)", version: 1, rowCount: 4 });

    const events = await team.lead.api.get(`${ws()}/events?limit=100`);
    const imported = events.body.items.filter((e: any) => e.type === "dataset.imported");
    expect(imported.at(-1)).toMatchObject({
      target: { type: "dataset", id: uploaded.body.id },
      payload: { name: "Raison 2013 (synthetic)", version: 1, rowCount: 4 },
    });
    expect(imported.at(-1).payload.conversions).toContainEqual({ column: "CRP (mg/dL)", biomarker: "hs_crp", from: "mg/dL", to: "mg/L" });
  });

  it("makes a new version on re-upload under the same name, and keeps the older one", async () => {
    const first = await uploadDataset(team.lead.api, team.workspaceId, studyId, RAISON_CSV, { name: "Versioned" });
    const second = await uploadDataset(team.lead.api, team.workspaceId, studyId, `${RAISON_CSV}\nP005,placebo,0.2,90,25,20`, {
      name: "Versioned",
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.version).toBe(first.body.version + 1);
    expect((await team.lead.api.get(`${ws()}/datasets/${first.body.id}`)).body).toMatchObject({ version: first.body.version, rowCount: 4 });
    const study = await team.lead.api.get(`${ws()}/studies/${studyId}`);
    const versioned = study.body.datasets.filter((d: any) => d.name === "Versioned");
    expect(versioned).toEqual([{ id: second.body.id, name: "Versioned", version: second.body.version, rowCount: 5 }]);
  });

  it("accepts the raw body with content-type text/csv, and a mapping that names the unit and roles", async () => {
    const csv = "subject code,group,CRP_x\nA-1,placebo,1.5\nA-2,minocycline,0.4";
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv, {
      raw: true,
      name: "Mapped",
      mapping: { "subject code": { role: "participant_id" }, group: { role: "arm" }, CRP_x: { biomarker: "hs_crp", unit: "mg/dL" } },
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.columns[2]).toMatchObject({ name: "CRP_x", biomarker: "hs_crp", convertedFrom: "mg/dL", unit: "mg/L" });
    const rows = await team.contributor.api.get(`${ws()}/datasets/${uploaded.body.id}/rows`);
    expect(rows.body.items.map((r: any) => [r.participantId, r.arm, r.values[2]])).toEqual([
      ["A-1", "placebo", 15],
      ["A-2", "minocycline", 4],
    ]);
  });

  it("proposes the column matching on a dry run without saving anything", async () => {
    const before = await server.database.count("datasets");
    const dry = await uploadDataset(team.contributor.api, team.workspaceId, studyId, RAISON_CSV, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rowCount: 4, problem: null });
    expect(dry.body.columns.find((c: any) => c.name === "CRP (mg/dL)")).toMatchObject({
      biomarker: "hs_crp",
      matchedBy: "alias",
      sourceUnit: "mg/dL",
    });
    const bad = await uploadDataset(team.contributor.api, team.workspaceId, studyId, "id,CRP (kg/m2)\n1,2", { dryRun: true });
    expect(bad.status).toBe(200);
    expect(bad.body.problem.message).toMatch(/CRP \(kg\/m2\).*Cannot convert kg\/m2 to mg\/L/);
    expect(await server.database.count("datasets")).toBe(before);
  });

  it("summarises each column and exports CSV with formula cells neutralised", async () => {
    const csv = 'participant_id,arm,crp\n"=HYPERLINK(""http://evil"")",placebo,1\n@P2,-1,3\nP3,placebo,';
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv, { name: "Injection" });
    expect(uploaded.status).toBe(201);
    const summary = await team.observer.api.get(`${ws()}/datasets/${uploaded.body.id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.columns[2]).toMatchObject({ column: "crp", valueType: "numeric", n: 2, missing: 1, mean: 2, min: 1, max: 3 });
    expect(summary.body.columns[2].sd).toBeCloseTo(Math.SQRT2, 10);
    expect(summary.body.columns[2].histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(2);

    const exported = await fetch(`${server.url}${ws()}/datasets/${uploaded.body.id}/export.csv`, {
      headers: { authorization: `Bearer ${team.observer.token}` },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await exported.text();
    expect(text.split("\r\n")[0]).toBe("participant_id,arm,hs_crp (mg/L)");
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")",placebo,1`);
    // A plain negative number stays a number; text starting with @ opens as text.
    expect(text).toContain("'@P2,-1,3");
  });
});

describe("who may do what with datasets", () => {
  let datasetId: string;
  beforeAll(async () => {
    datasetId = (await uploadDataset(team.lead.api, team.workspaceId, studyId, RAISON_CSV, { name: "Roles" })).body.id;
  });

  it("an observer cannot upload (403) and nothing is saved", async () => {
    const before = await server.database.count("datasets");
    const refused = await uploadDataset(team.observer.api, team.workspaceId, studyId, RAISON_CSV);
    expect(refused.status).toBe(403);
    expect(await server.database.count("datasets")).toBe(before);
  });

  it("an observer reads the dataset, its rows, summary and export", async () => {
    for (const path of ["", "/rows", "/summary", "/export.csv"]) {
      expect((await team.observer.api.get(`${ws()}/datasets/${datasetId}${path}`)).status, path).toBe(200);
    }
  });

  it("a non-member gets 404 for everything, upload included", async () => {
    expect((await uploadDataset(team.outsider.api, team.workspaceId, studyId, RAISON_CSV)).status).toBe(404);
    for (const path of ["", "/rows", "/summary", "/export.csv"]) {
      expect((await team.outsider.api.get(`${ws()}/datasets/${datasetId}${path}`)).status, path).toBe(404);
    }
  });

  it("answers 404 for a dataset or study of another workspace", async () => {
    const other = await team.outsider.api.post("/api/v1/workspaces", { name: "Elsewhere" });
    const foreign = await studyWithDefaultPanel(team.outsider.api, other.body.id, "Foreign study");
    const foreignDataset = await uploadDataset(team.outsider.api, other.body.id, foreign.studyId, RAISON_CSV);
    expect(foreignDataset.status).toBe(201);
    expect((await team.lead.api.get(`${ws()}/datasets/${foreignDataset.body.id}`)).status).toBe(404);
    expect((await team.lead.api.get(`${ws()}/datasets/${foreignDataset.body.id}/rows`)).status).toBe(404);
    expect((await uploadDataset(team.lead.api, team.workspaceId, foreign.studyId, RAISON_CSV)).status).toBe(404);
  });

  it("refuses a bad page request with 400 naming the field", async () => {
    const bad = await team.lead.api.get(`${ws()}/datasets/${datasetId}/rows?limit=100000`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe("limit");
  });
});
