/**
 * A category biomarker's categories through the API, on whichever engine the
 * project runs: sent and read back as data, stored as canonical JSON, edited
 * as a versioned change of the panel, refused with a 400 naming the category
 * (the database unchanged), carried by the data dictionary CSV both ways, and
 * used to read coded values in records files.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { recordsFixture } from "#tests/fixtures/make-redcap.ts";
import { TRIAL } from "#tests/fixtures/redcap-records-corpus.ts";
import { type ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const panelsPath = () => `/api/v1/workspaces/${team.workspaceId}/panels`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

const SEX = [
  { code: "1", label: "Male" },
  { code: "2", label: "Female" },
];

async function panelWithSex(api: ApiClient = team.lead.api) {
  const created = await api.post(panelsPath(), { name: "Questionnaire" });
  expect(created.status).toBe(201);
  const base = `${panelsPath()}/${created.body.id}`;
  const added = await api.post(`${base}/biomarkers`, {
    code: "sex",
    label: "Sex",
    valueType: "category",
    categories: SEX,
    description: "As stated.",
    baseVersion: 1,
  });
  expect(added.status).toBe(201);
  return { panelId: created.body.id as string, base, sexId: added.body.id as string };
}

/** What the database holds for the panel and its biomarkers, and how many events: a refused write changes none of it. */
async function stored(panelId: string) {
  return {
    panel: await server.database.one("SELECT version FROM panels WHERE id = ?", [panelId]),
    biomarkers: await server.database.query(
      "SELECT id, code, value_type, categories, description FROM panel_biomarkers WHERE panel_id = ? ORDER BY position",
      [panelId],
    ),
    versions: await server.database.count("panel_versions", "panel_id = ?", [panelId]),
    events: await server.database.count("events"),
  };
}

describe("categories of a category biomarker", () => {
  it("are sent and read back as data, stored as canonical JSON text; other biomarkers have none", async () => {
    const { base, sexId } = await panelWithSex();
    const numeric = await team.lead.api.post(`${base}/biomarkers`, { code: "crp", label: "CRP", unit: "mg/L", baseVersion: 2 });
    expect(numeric.body.categories).toEqual([]);

    const read = await team.observer.api.get(base);
    expect(read.body.biomarkers).toMatchObject([
      { code: "sex", valueType: "category", categories: SEX, description: "As stated." },
      { code: "crp", valueType: "numeric", categories: [] },
    ]);
    const row = await server.database.one<{ categories: string }>("SELECT categories FROM panel_biomarkers WHERE id = ?", [sexId]);
    // JSON as JSON.stringify writes it, on both engines (PostgreSQL's json keeps the text as written).
    expect(row?.categories).toBe('[{"code":"1","label":"Male"},{"code":"2","label":"Female"}]');
    const listed = await team.observer.api.get(panelsPath());
    expect(listed.status).toBe(200);
  });

  it("are edited as a change of the panel: a new version with its snapshot and an event with before/after; a stale edit is 409", async () => {
    const { panelId, base, sexId } = await panelWithSex();
    const withOther = [...SEX, { code: "3", label: "Other, or prefer not to say" }];
    const edited = await team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: withOther, baseVersion: 2 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ categories: withOther, panelVersion: 3, description: "As stated." });

    const events = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/events?limit=500`);
    const last = events.body.items.filter((e: { target: { id: string } }) => e.target.id === panelId).at(-1);
    expect(last).toMatchObject({
      type: "panel.updated",
      payload: {
        version: 3,
        change: "biomarker_updated",
        fields: ["categories"],
        before: { categories: SEX },
        after: { categories: withOther },
      },
    });
    expect((await team.observer.api.get(`${base}/versions/2`)).body.biomarkers[0].categories).toEqual(SEX);
    expect((await team.observer.api.get(`${base}/versions/3`)).body.biomarkers[0].categories).toEqual(withOther);

    // The same list again changes nothing and makes no version; reordering is a change.
    const same = await team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: withOther, baseVersion: 3 });
    expect(same.body.panelVersion).toBe(3);
    const reordered = await team.contributor.api.patch(`${base}/biomarkers/${sexId}`, {
      categories: [...withOther].reverse(),
      baseVersion: 3,
    });
    expect(reordered.body).toMatchObject({ panelVersion: 4, categories: [...withOther].reverse() });

    const before = await stored(panelId);
    const stale = await team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: SEX, baseVersion: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0]).toMatchObject({ currentVersion: 4, current: { version: 4 } });
    expect(await stored(panelId)).toEqual(before);

    // Emptied, the biomarker stays a category with no coded answers.
    const emptied = await team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: [], baseVersion: 4 });
    expect(emptied.body).toMatchObject({ panelVersion: 5, valueType: "category", categories: [] });
  });

  it("refuses bad categories with 400 naming the category and its part, and leaves the database as it was", async () => {
    const { panelId, base, sexId } = await panelWithSex();
    const before = await stored(panelId);
    const refusals: [Promise<{ status: number; body: any }>, string, RegExp][] = [
      [
        team.contributor.api.post(`${base}/biomarkers`, { code: "crp", label: "CRP", categories: SEX, baseVersion: 2 }),
        "categories",
        /Only category biomarkers have categories; this one is numeric/,
      ],
      [team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { valueType: "text", baseVersion: 2 }), "categories", /this one is text/],
      [
        team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: [...SEX, { code: "1", label: "Again" }], baseVersion: 2 }),
        "categories.2.code",
        /already used by category 1/,
      ],
      [
        team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: [SEX[0], { code: "2", label: " " }], baseVersion: 2 }),
        "categories.1.label",
        /label cannot be empty/,
      ],
      [
        team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: [{ code: "1|2", label: "x" }], baseVersion: 2 }),
        "categories.0.code",
        /cannot contain a comma, \| or a line break/,
      ],
      [
        team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: [{ code: "1", label: "x".repeat(301) }], baseVersion: 2 }),
        "categories.0.label",
        /at most 300 characters/,
      ],
      [
        team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: "1, Male | Female", baseVersion: 2 }),
        "categories",
        /“Female” is not written as “code, label”/,
      ],
      [team.contributor.api.patch(`${base}/biomarkers/${sexId}`, { categories: { code: "1" }, baseVersion: 2 }), "categories", /./],
    ];
    for (const [request, field, message] of refusals) {
      const response = await request;
      expect(response.status, field).toBe(400);
      expect(response.body.error.details[0], field).toMatchObject({ field, message: expect.stringMatching(message) });
    }
    expect(await stored(panelId)).toEqual(before);
  });

  it("go out in the dictionary CSV in REDCap's syntax and come back identically", async () => {
    const { base } = await panelWithSex();
    const smoker = await team.lead.api.post(`${base}/biomarkers`, {
      code: "smoker",
      label: "Smoker",
      valueType: "category",
      categories: [
        { code: "0", label: "Never, or under 100 cigarettes" },
        { code: "1", label: "Former" },
        { code: "2", label: "Current" },
      ],
      baseVersion: 2,
    });
    expect(smoker.status).toBe(201);
    const exported = await team.observer.api.get(`${base}/dictionary.csv`);
    expect(exported.status).toBe(200);
    const lines = exported.body.split("\r\n");
    expect(lines[1]).toBe('sex,Sex,,,,category,"1, Male | 2, Female",,,,,,,As stated.');
    expect(lines[2]).toBe('smoker,Smoker,,,,category,"0, Never, or under 100 cigarettes | 1, Former | 2, Current",,,,,,,');

    const copy = await team.contributor.api.post(panelsPath(), { name: "Copy" });
    const imported = await team.contributor.api.request("POST", `${panelsPath()}/${copy.body.id}/dictionary?baseVersion=1`, exported.body, {
      "content-type": "text/csv",
    });
    expect(imported.status).toBe(200);
    const strip = (b: Record<string, unknown>) => ({ ...b, id: undefined });
    const original = (await team.lead.api.get(base)).body.biomarkers.map(strip);
    expect(imported.body.panel.biomarkers.map(strip)).toEqual(original);

    // Into the panel it came from: nothing changed, no new version.
    const again = await team.contributor.api.request("POST", `${base}/dictionary?baseVersion=3`, exported.body, {
      "content-type": "text/csv",
    });
    expect(again.body).toMatchObject({ changed: false, unchanged: 2, panel: { version: 3 } });

    // Changed in the spreadsheet, the categories are a change of that biomarker only.
    const relabelled = exported.body.replace("2, Female", "2, Woman");
    const changed = await team.contributor.api.request("POST", `${base}/dictionary?baseVersion=3`, relabelled, {
      "content-type": "text/csv",
    });
    expect(changed.body).toMatchObject({ changed: true, updated: ["sex"], unchanged: 1, panel: { version: 4 } });
  });

  it("refuses a dictionary row with bad categories, naming its row and the categories column", async () => {
    const { panelId, base } = await panelWithSex();
    const before = await stored(panelId);
    const csv = 'code,label,value_type,categories\nsex,Sex,category,"1, Male | 1, Female"\ncrp,CRP,numeric,"1, Low"\n';
    const refused = await team.contributor.api.request("POST", `${base}/dictionary?baseVersion=2`, csv, { "content-type": "text/csv" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      { row: 2, column: "categories", message: expect.stringMatching(/^The category code “1” appears twice/) },
      { row: 3, column: "categories", message: "Only category biomarkers have categories; this one is numeric." },
    ]);
    expect(await stored(panelId)).toEqual(before);
  });

  it("are what coded values in a records file read as, when the study's panel is the dictionary", async () => {
    const imported = await team.lead.api.request("POST", `${panelsPath()}/import`, recordsFixture("dictionary.csv").toString("utf8"), {
      "content-type": "text/csv",
    });
    expect(imported.status).toBe(201);
    const panel = imported.body.panel;
    const sex = panel.biomarkers.find((b: { code: string }) => b.code === "sex");
    expect(sex.categories).toEqual(SEX);
    // A lead renames the labels in the panel: records read from now on say so.
    const relabelled = await team.lead.api.patch(`${panelsPath()}/${panel.id}/biomarkers/${sex.id}`, {
      categories: [
        { code: "1", label: "Man" },
        { code: "2", label: "Woman" },
      ],
      baseVersion: 1,
    });
    expect(relabelled.status).toBe(200);
    const study = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/studies`, { title: "Site 3", panelId: panel.id });
    const uploaded = await uploadDataset(team.contributor.api, team.workspaceId, study.body.id, recordsFixture("longitudinal.csv"), {
      fileName: "longitudinal.csv",
      name: "Read with the panel",
    });
    expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 400)).toBe(201);
    const column = (uploaded.body.columns as { name: string }[]).findIndex((c) => c.name === "sex");
    const rows = await team.observer.api.get(`/api/v1/workspaces/${team.workspaceId}/datasets/${uploaded.body.id}/rows?offset=0&limit=5`);
    expect(rows.body.items[0].values[column]).toBe(TRIAL[0].sex === 1 ? "Man" : "Woman");
  });
});
