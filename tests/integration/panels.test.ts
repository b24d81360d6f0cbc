import { beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const panelsPath = () => `/api/v1/workspaces/${team.workspaceId}/panels`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

const leptinInput = {
  code: "adiponectin",
  label: "Adiponectin",
  loinc: null,
  unit: "ug/mL",
  plausibleMin: 0,
  plausibleMax: 100,
  cutoffs: [{ label: "low", operator: "<", value: 4 }],
  aliases: ["adipoq"],
};

async function newPanel(api: ApiClient = team.contributor.api, body: Record<string, unknown> = { name: "Core panel", fromDefault: true }) {
  const created = await api.post(panelsPath(), body);
  expect(created.status).toBe(201);
  return created.body as { id: string; version: number; biomarkers: { id: string; code: string; unit: string }[] };
}

async function panelEvents(panelId: string) {
  const events = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/events?limit=500`);
  return (events.body.items as { type: string; target: { id: string }; payload: Record<string, any> }[]).filter(
    (e) => e.target.id === panelId,
  );
}

function csvUpload(api: ApiClient, panelId: string, csv: string, query: string, type = "text/csv") {
  return api.request("POST", `${panelsPath()}/${panelId}/dictionary?${query}`, csv, { "content-type": type });
}

describe("biomarker panels", () => {
  it("lets a contributor start from the default panel, which every member can read", async () => {
    const panel = await newPanel();
    expect(panel.version).toBe(1);
    expect(panel.biomarkers.map((b) => b.code)).toContain("hs_crp");
    const read = await team.observer.api.get(`${panelsPath()}/${panel.id}`);
    expect(read.status).toBe(200);
    const crp = read.body.biomarkers.find((b: { code: string }) => b.code === "hs_crp");
    expect(crp).toMatchObject({ unit: "mg/L", unitName: "milligram per liter", loinc: "30522-7" });
    expect(crp.cutoffs).toContainEqual({ label: "high", operator: ">", value: 3 });
    const list = await team.observer.api.get(panelsPath());
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: panel.id, biomarkerCount: 11, version: 1 }));
  });

  it("adds, edits and removes biomarkers, each a new version with its snapshot and an event with before/after", async () => {
    const panel = await newPanel(team.lead.api, { name: "Edited panel" });
    const base = `${panelsPath()}/${panel.id}`;
    const added = await team.contributor.api.post(`${base}/biomarkers`, { ...leptinInput, baseVersion: 1 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: "adiponectin", unit: "ug/mL", panelVersion: 2 });

    const edited = await team.contributor.api.patch(`${base}/biomarkers/${added.body.id}`, { unit: "mg/L", baseVersion: 2 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ unit: "mg/L", label: "Adiponectin", plausibleMax: 100, panelVersion: 3 });

    const renamed = await team.contributor.api.patch(base, { name: "Adipokines", baseVersion: 3 });
    expect(renamed.body).toMatchObject({ name: "Adipokines", version: 4 });

    const removed = await team.contributor.api.delete(`${base}/biomarkers/${added.body.id}?baseVersion=4`);
    expect(removed.status).toBe(204);
    expect((await team.observer.api.get(base)).body).toMatchObject({ version: 5, biomarkers: [] });

    const history = await team.observer.api.get(`${base}/versions`);
    expect(history.body.items.map((v: { version: number }) => v.version)).toEqual([5, 4, 3, 2, 1]);
    expect(history.body.items[2]).toMatchObject({ note: "Edited adiponectin (unit)", author: { name: "Contributing Researcher" } });
    const v3 = await team.observer.api.get(`${base}/versions/3`);
    expect(v3.body).toMatchObject({ version: 3, name: "Edited panel", biomarkers: [{ code: "adiponectin", unit: "mg/L" }] });
    expect((await team.observer.api.get(`${base}/versions/9`)).status).toBe(404);

    const paged = await team.observer.api.get(`${base}/versions?limit=2`);
    expect(paged.body.items.map((v: { version: number }) => v.version)).toEqual([5, 4]);
    const next = await team.observer.api.get(`${base}/versions?limit=2&cursor=${paged.body.nextCursor}`);
    expect(next.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);

    const events = await panelEvents(panel.id);
    expect(events.map((e) => [e.type, e.payload.change])).toEqual([
      ["panel.created", undefined],
      ["panel.updated", "biomarker_added"],
      ["panel.updated", "biomarker_updated"],
      ["panel.updated", "details"],
      ["panel.updated", "biomarker_removed"],
    ]);
    expect(events[2].payload).toMatchObject({ fields: ["unit"], before: { unit: "ug/mL" }, after: { unit: "mg/L" }, version: 3 });
    expect(events[3].payload).toMatchObject({ before: { name: "Edited panel" }, after: { name: "Adipokines" } });
    expect(events[4].payload.before).toMatchObject({ code: "adiponectin", unit: "mg/L" });
  });

  it("refuses an observer's every write with 403 and changes nothing", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const crp = panel.biomarkers[0];
    const attempts = [
      await team.observer.api.post(panelsPath(), { name: "Mine" }),
      await team.observer.api.patch(base, { name: "Mine", baseVersion: 1 }),
      await team.observer.api.post(`${base}/biomarkers`, { ...leptinInput, baseVersion: 1 }),
      await team.observer.api.patch(`${base}/biomarkers/${crp.id}`, { label: "x", baseVersion: 1 }),
      await team.observer.api.delete(`${base}/biomarkers/${crp.id}?baseVersion=1`),
      await csvUpload(team.observer.api, panel.id, "code,label\nx,X\n", "baseVersion=1"),
    ];
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect((await team.observer.api.get(base)).body.version).toBe(1);
    expect((await team.observer.api.get(`${base}/dictionary.csv`)).status).toBe(200);
    expect((await team.observer.api.get(`${base}/versions`)).status).toBe(200);
  });

  it("hides every panel route from a non-member (404)", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const crp = panel.biomarkers[0];
    const outsider = team.outsider.api;
    const answers = [
      await outsider.get(panelsPath()),
      await outsider.post(panelsPath(), { name: "Mine" }),
      await outsider.get(base),
      await outsider.patch(base, { name: "Mine", baseVersion: 1 }),
      await outsider.post(`${base}/biomarkers`, { ...leptinInput, baseVersion: 1 }),
      await outsider.patch(`${base}/biomarkers/${crp.id}`, { label: "x", baseVersion: 1 }),
      await outsider.delete(`${base}/biomarkers/${crp.id}?baseVersion=1`),
      await outsider.get(`${base}/versions`),
      await outsider.get(`${base}/versions/1`),
      await outsider.get(`${base}/dictionary.csv`),
      await csvUpload(outsider, panel.id, "code,label\nx,X\n", "baseVersion=1"),
    ];
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 404));
  });

  it("answers 404 for a panel or biomarker id of another workspace", async () => {
    const other = await team.outsider.api.post("/api/v1/workspaces", { name: "Elsewhere" });
    const foreign = await team.outsider.api.post(`/api/v1/workspaces/${other.body.id}/panels`, { name: "Foreign", fromDefault: true });
    expect(foreign.status).toBe(201);
    const base = `${panelsPath()}/${foreign.body.id}`;
    expect((await team.lead.api.get(base)).status).toBe(404);
    expect((await team.lead.api.patch(base, { name: "Taken", baseVersion: 1 })).status).toBe(404);
    expect((await team.lead.api.get(`${base}/dictionary.csv`)).status).toBe(404);
    expect((await team.lead.api.get(`${base}/versions`)).status).toBe(404);
    expect((await csvUpload(team.lead.api, foreign.body.id, "code,label\nx,X\n", "baseVersion=1")).status).toBe(404);
    // A biomarker of the other workspace's panel, addressed through a panel of ours.
    const ours = await newPanel();
    const foreignBiomarker = foreign.body.biomarkers[0].id;
    expect(
      (await team.lead.api.patch(`${panelsPath()}/${ours.id}/biomarkers/${foreignBiomarker}`, { label: "x", baseVersion: 1 })).status,
    ).toBe(404);
    expect((await team.lead.api.delete(`${panelsPath()}/${ours.id}/biomarkers/${foreignBiomarker}?baseVersion=1`)).status).toBe(404);
    expect((await team.outsider.api.get(`/api/v1/workspaces/${other.body.id}/panels/${foreign.body.id}`)).body.version).toBe(1);
  });

  it("refuses a stale baseVersion with 409, giving the current version, and writes nothing", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const crp = panel.biomarkers[0];
    expect((await team.lead.api.patch(base, { description: "Fresh", baseVersion: 1 })).status).toBe(200);
    const eventsBefore = (await panelEvents(panel.id)).length;

    const stale = [
      await team.contributor.api.patch(base, { name: "Stale", baseVersion: 1 }),
      await team.contributor.api.post(`${base}/biomarkers`, { ...leptinInput, baseVersion: 1 }),
      await team.contributor.api.patch(`${base}/biomarkers/${crp.id}`, { label: "Stale", baseVersion: 1 }),
      await team.contributor.api.delete(`${base}/biomarkers/${crp.id}?baseVersion=1`),
      await csvUpload(team.contributor.api, panel.id, "code,label\nx,X\n", "baseVersion=1"),
    ];
    for (const response of stale) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe("conflict");
      expect(response.body.error.message).toContain("version 2");
      expect(response.body.error.details[0]).toMatchObject({
        currentVersion: 2,
        current: { id: panel.id, version: 2, description: "Fresh" },
      });
    }
    const after = (await team.lead.api.get(base)).body;
    expect(after).toMatchObject({ version: 2, name: "Core panel" });
    expect(after.biomarkers).toHaveLength(11);
    expect(after.biomarkers[0].label).toBe("hs-CRP");
    expect((await panelEvents(panel.id)).length).toBe(eventsBefore);
  });

  it("refuses a bad unit with 400 naming the field and UCUM's suggestion, and adds nothing", async () => {
    const panel = await newPanel(team.contributor.api, { name: "Empty" });
    const base = `${panelsPath()}/${panel.id}`;
    const bad = await team.contributor.api.post(`${base}/biomarkers`, { ...leptinInput, unit: "mmHg", baseVersion: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: "unit", message: "“mmHg” is not a UCUM unit (did you mean “mm[Hg]”?)." }]);
    const noVersion = await team.contributor.api.post(`${base}/biomarkers`, leptinInput);
    expect(noVersion.body.error.details[0].field).toBe("baseVersion");
    expect((await team.contributor.api.get(base)).body).toMatchObject({ version: 1, biomarkers: [] });
  });

  it("checks the rules: unique codes, cut-off operators, min ≤ max after a partial edit, units normalised", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const [crp, il6] = panel.biomarkers;
    const duplicate = await team.contributor.api.post(`${base}/biomarkers`, { ...leptinInput, code: "hs_crp", baseVersion: 1 });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.details[0].field).toBe("code");
    const renamedOntoAnother = await team.contributor.api.patch(`${base}/biomarkers/${il6.id}`, { code: "hs_crp", baseVersion: 1 });
    expect(renamedOntoAnother.body.error.details[0].field).toBe("code");
    const operator = await team.contributor.api.patch(`${base}/biomarkers/${crp.id}`, {
      cutoffs: [{ label: "high", operator: "=>", value: 3 }],
      baseVersion: 1,
    });
    expect(operator.body.error.details[0].field).toBe("cutoffs.0.operator");
    // hs-CRP's plausible minimum is 0: a maximum below it is refused though only the maximum was sent.
    const range = await team.contributor.api.patch(`${base}/biomarkers/${crp.id}`, { plausibleMax: -1, baseVersion: 1 });
    expect(range.body.error.details[0].field).toBe("plausibleMax");
    const micro = await team.contributor.api.post(`${base}/biomarkers`, {
      code: "c_peptide",
      label: "C-peptide",
      unit: "µIU/mL",
      baseVersion: 1,
    });
    expect(micro.body).toMatchObject({ unit: "u[IU]/mL", panelVersion: 2 });
  });

  it("exports the dictionary as CSV and imports it back to the same panel", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const exported = await team.observer.api.get(`${base}/dictionary.csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(exported.headers.get("content-disposition")).toContain('filename="core-panel-v1-dictionary.csv"');
    expect(exported.body.split("\r\n")[0]).toBe(
      "code,label,loinc,specimen,unit,value_type,categories,plausible_min,plausible_max,cutoffs,molar_mass,unit_conventions,aliases,description",
    );

    // Into an empty panel: the same biomarkers, definition for definition.
    const empty = await newPanel(team.contributor.api, { name: "Copy" });
    const imported = await csvUpload(team.contributor.api, empty.id, exported.body, "baseVersion=1");
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ mode: "replace", changed: true, removed: [], panel: { version: 2 } });
    expect(imported.body.added).toHaveLength(11);
    const strip = (b: Record<string, unknown>) => ({ ...b, id: undefined });
    const original = (await team.lead.api.get(base)).body.biomarkers.map(strip);
    expect(imported.body.panel.biomarkers.map(strip)).toEqual(original);

    // Into the panel it came from: nothing to change, no new version.
    const again = await csvUpload(team.contributor.api, panel.id, exported.body, "baseVersion=1");
    expect(again.body).toMatchObject({ changed: false, unchanged: 11, panel: { version: 1 } });

    const events = await panelEvents(empty.id);
    expect(events.at(-1)).toMatchObject({
      type: "panel.imported",
      payload: { version: 2, before: { version: 1, codes: [] }, after: { version: 2 } },
    });
  });

  it("takes a multipart upload, replaces by default and merges on request, keeping ids of kept codes", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const crpId = panel.biomarkers.find((b) => b.code === "hs_crp")!.id;
    const form = new FormData();
    form.append("file", new Blob(["code,label,unit\nhs_crp,hs-CRP,mg/dL\nnew_one,New,mg/L\n"], { type: "text/csv" }), "dictionary.csv");
    const merged = await fetch(`${server.url}${base}/dictionary?baseVersion=1&mode=merge`, {
      method: "POST",
      headers: { authorization: `Bearer ${team.contributor.token}` },
      body: form,
    });
    const mergedBody = await merged.json();
    expect(merged.status).toBe(200);
    expect(mergedBody).toMatchObject({ mode: "merge", added: ["new_one"], updated: ["hs_crp"], removed: [] });
    expect(mergedBody.panel.biomarkers).toHaveLength(12);
    expect(mergedBody.panel.biomarkers.find((b: { code: string }) => b.code === "hs_crp")).toMatchObject({ id: crpId, unit: "mg/dL" });

    const replaced = await csvUpload(
      team.contributor.api,
      panel.id,
      "code,label,unit\nnew_one,New,mg/L\nhs_crp,hs-CRP,mg/L\n",
      "baseVersion=2",
    );
    expect(replaced.body.removed).toHaveLength(10);
    expect(replaced.body.panel.biomarkers.map((b: { code: string; id: string }) => [b.code, b.id === crpId])).toEqual([
      ["new_one", false],
      ["hs_crp", true],
    ]);
  });

  it("refuses a bad dictionary with 400 naming every row and column, and leaves the panel as it was", async () => {
    const panel = await newPanel();
    const base = `${panelsPath()}/${panel.id}`;
    const csv = "code,label,unit,cutoffs\nhs_crp,hs-CRP,mg/L,high>3\nil6,IL-6,pg/mL,\nglucose,Glucose,mg/dl/x,\nbmi,BMI,kg/m2,obese=>30\n";
    const refused = await csvUpload(team.contributor.api, panel.id, csv, "baseVersion=1");
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("row 4, column unit: “mg/dl/x” is not a UCUM unit");
    expect(refused.body.error.details).toEqual([
      { row: 4, column: "unit", message: "“mg/dl/x” is not a UCUM unit." },
      { row: 5, column: "cutoffs", message: expect.stringContaining("obese=>30") },
    ]);
    const after = (await team.lead.api.get(base)).body;
    expect(after.version).toBe(1);
    expect(after.biomarkers).toHaveLength(11);
    expect((await panelEvents(panel.id)).map((e) => e.type)).toEqual(["panel.created"]);
  });

  it("refuses a file that is not CSV (415) or too large (413)", async () => {
    const panel = await newPanel();
    const json = await team.contributor.api.post(`${panelsPath()}/${panel.id}/dictionary?baseVersion=1`, { code: "x" });
    expect(json.status).toBe(415);
    const xlsx = await csvUpload(team.contributor.api, panel.id, "PK\u0003\u0004binary", "baseVersion=1");
    expect(xlsx.status).toBe(415);
    const big = `code,label\n${"x,".padEnd(1024 * 1024 + 10, "y")}\n`;
    const tooLarge = await csvUpload(team.contributor.api, panel.id, big, "baseVersion=1");
    expect(tooLarge.status).toBe(413);
    const twiceTooLarge = await csvUpload(team.contributor.api, panel.id, big + big, "baseVersion=1");
    expect(twiceTooLarge.status).toBe(413);
    const form = new FormData();
    form.append("file", new Blob([big], { type: "text/csv" }), "big.csv");
    const multipart = await fetch(`${server.url}${panelsPath()}/${panel.id}/dictionary?baseVersion=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${team.contributor.token}` },
      body: form,
    });
    expect(multipart.status).toBe(413);
    const workbook = new FormData();
    workbook.append("file", new Blob(["a,b"], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), "panel.xlsx");
    const xlsxPart = await fetch(`${server.url}${panelsPath()}/${panel.id}/dictionary?baseVersion=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${team.contributor.token}` },
      body: workbook,
    });
    expect(xlsxPart.status).toBe(415);
    expect((await team.lead.api.get(`${panelsPath()}/${panel.id}`)).body.version).toBe(1);
  });
});
