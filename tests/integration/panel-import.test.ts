import { beforeAll, describe, expect, it } from "vitest";
import { redcapFixture } from "#tests/fixtures/make-redcap.ts";
import { type ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const panelsPath = () => `/api/v1/workspaces/${team.workspaceId}/panels`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

function upload(api: ApiClient, file: string, query = "", type = file.endsWith(".xml") ? "application/xml" : "text/csv") {
  return api.request("POST", `${panelsPath()}/import${query}`, redcapFixture(file), { "content-type": type });
}

async function panelCount() {
  return (await team.lead.api.get(panelsPath())).body.items.length as number;
}

async function corePanel() {
  const created = await team.lead.api.post(panelsPath(), { name: "Core", fromDefault: true });
  expect(created.status).toBe(201);
  return created.body as { id: string; biomarkers: { id: string; code: string; aliases: string[] }[] };
}

describe("importing a panel from a REDCap data dictionary or CDISC ODM", () => {
  it("answers a dry run with every field and what it would become, the skipped ones with reasons, and saves nothing", async () => {
    const before = await panelCount();
    const proposal = await upload(team.contributor.api, "baseline-small.csv", "?dryRun=1");
    expect(proposal.status).toBe(200);
    expect(proposal.body).toMatchObject({ dryRun: true, source: "redcap" });
    const crp = proposal.body.fields.find((f: { field: string }) => f.field === "crp_mgdl");
    expect(crp).toMatchObject({
      becomes: "new",
      code: "crp_mgdl",
      label: "CRP",
      unit: "mg/dL",
      plausibleMin: 0,
      plausibleMax: 30,
      location: "row 8",
    });
    const sex = proposal.body.fields.find((f: { field: string }) => f.field === "sex");
    expect(sex.choices).toEqual([
      { code: "1", label: "Male" },
      { code: "2", label: "Female" },
    ]);
    expect(sex.categories).toEqual(sex.choices);
    expect(crp.categories).toEqual([]);
    expect(proposal.body.skipped).toContainEqual({
      field: "consent_intro",
      location: "row 3",
      reason: expect.stringMatching(/descriptive/),
    });
    expect(proposal.body.fields.length + proposal.body.skipped.length).toBe(16);
    expect(await panelCount()).toBe(before);
  });

  it("creates the panel (201) with the skipped fields listed, one version and one event", async () => {
    const created = await upload(team.contributor.api, "european-semicolon.csv", "?name=Site%203%20labs");
    expect(created.status).toBe(201);
    expect(created.body.panel).toMatchObject({ name: "Site 3 labs", version: 1 });
    expect(created.body.panel.biomarkers.map((b: { code: string }) => b.code)).toEqual(["crp", "hba1c", "leptin", "geschlecht"]);
    expect(created.body.panel.biomarkers[1]).toMatchObject({ unit: "%", plausibleMin: 3.5, plausibleMax: 20 });
    expect(created.body.skipped.map((s: { field: string }) => s.field)).toEqual(["studienummer", "hinweis"]);
    const events = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/events?limit=500`);
    const mine = events.body.items.filter((e: { target: { id: string } }) => e.target.id === created.body.panel.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: "panel.created", payload: { biomarkers: 4, imported: { source: "redcap" } } });
  });

  it("maps a site's field to an existing biomarker: the field takes its definition and its name becomes an alias", async () => {
    const core = await corePanel();
    const hsCrp = core.biomarkers.find((b) => b.code === "hs_crp")!;
    const mapping = encodeURIComponent(JSON.stringify({ crp_mgdl: hsCrp.id, comments: "new" }));
    const dry = await upload(team.contributor.api, "baseline-small.csv", `?dryRun=1&mapping=${mapping}`);
    expect(dry.status).toBe(400); // free text cannot become a biomarker, whatever the reviewer chooses
    expect(dry.body.error.details).toEqual([
      { field: "mapping.comments", message: "comments (row 17) cannot be imported: free text (notes) is not a measure." },
    ]);

    const good = encodeURIComponent(JSON.stringify({ crp_mgdl: hsCrp.id, il6: "skip" }));
    const proposal = await upload(team.contributor.api, "baseline-small.csv", `?dryRun=1&mapping=${good}`);
    expect(proposal.status).toBe(200);
    expect(proposal.body.targets).toContainEqual(expect.objectContaining({ biomarkerId: hsCrp.id, code: "hs_crp", panelName: "Core" }));
    const crp = proposal.body.fields.find((f: { field: string }) => f.field === "crp_mgdl");
    expect(crp).toMatchObject({
      becomes: "mapped",
      code: "hs_crp",
      unit: "mg/L",
      sourceUnit: "mg/dL",
      mappedTo: { biomarkerId: hsCrp.id },
    });
    expect(crp.mappedTo.conversion).toMatch(/mg\/dL → mg\/L \(×10, UCUM\)/);
    expect(proposal.body.skipped).toContainEqual(expect.objectContaining({ field: "il6", reason: "left out in review" }));

    const created = await upload(team.contributor.api, "baseline-small.csv", `?mapping=${good}`);
    expect(created.status).toBe(201);
    const mapped = created.body.panel.biomarkers.find((b: { code: string }) => b.code === "hs_crp");
    expect(mapped).toMatchObject({ unit: "mg/L", loinc: "30522-7" });
    expect(mapped.aliases).toContain("crp_mgdl");
    expect(created.body.panel.biomarkers.map((b: { code: string }) => b.code)).not.toContain("il6");
  });

  it("refuses a mapping whose units cannot convert, naming the field, and saves nothing", async () => {
    const core = await corePanel();
    const bmi = core.biomarkers.find((b) => b.code === "bmi")!;
    const before = await panelCount();
    const mapping = encodeURIComponent(JSON.stringify({ sbp: bmi.id }));
    const refused = await upload(team.contributor.api, "baseline-small.csv", `?mapping=${mapping}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/sbp cannot be mapped to bmi: Cannot convert mm\[Hg\] to kg\/m2/);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: "mapping.sbp" })]);
    expect(await panelCount()).toBe(before);
  });

  it("imports CDISC ODM metadata sent as a multipart form", async () => {
    const form = new FormData();
    form.append("file", new Blob([redcapFixture("metadata.odm.xml")], { type: "application/xml" }), "site3.odm.xml");
    const response = await fetch(`${server.url}${panelsPath()}/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${team.contributor.token}` },
      body: form,
    });
    const body = await response.json();
    expect(response.status).toBe(201);
    expect(body.source).toBe("odm");
    expect(body.panel.name).toBe("site3.odm");
    expect(body.panel.biomarkers.find((b: { code: string }) => b.code === "crp")).toMatchObject({
      unit: "mg/L",
      loinc: "30522-7",
      plausibleMax: 300,
    });
    // A CodeList's decodes are the category biomarker's categories.
    expect(body.panel.biomarkers.find((b: { code: string }) => b.code === "sex")).toMatchObject({
      valueType: "category",
      categories: [
        { code: "1", label: "Male" },
        { code: "2", label: "Female" },
      ],
      description: "",
    });
    expect(body.skipped.map((s: { field: string }) => s.field).sort()).toEqual(["arm", "subject_id", "visit_date"]);
  });

  it.each([
    ["not-a-dictionary.csv", 400, /row 1: This is not a REDCap data dictionary/],
    ["unclosed-quote.csv", 400, /not readable as CSV/],
    ["billion-laughs.odm.xml", 400, /declares a document type or entities/],
    ["xxe.odm.xml", 400, /declares a document type or entities/],
    ["not-odm.xml", 400, /not CDISC ODM/],
  ])("refuses %s with %i naming the problem, and saves nothing", async (file, status, message) => {
    const before = await panelCount();
    const refused = await upload(team.contributor.api, file);
    expect(refused.status).toBe(status);
    expect(refused.body.error.message).toMatch(message);
    expect(await panelCount()).toBe(before);
  });

  it("answers 422 for a dictionary none of whose fields can become a biomarker", async () => {
    const onlyText = [
      "Variable / Field Name,Form Name,Section Header,Field Type,Field Label",
      "record_id,f,,text,Record ID",
      "notes,f,,notes,Notes",
    ].join("\n");
    const refused = await team.contributor.api.request("POST", `${panelsPath()}/import`, onlyText, { "content-type": "text/csv" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toContainEqual(expect.objectContaining({ field: "notes" }));
  });

  it("lets an observer read but not import", async () => {
    const refused = await upload(team.observer.api, "baseline-small.csv", "?dryRun=1");
    expect(refused.status).toBe(403);
  });

  it("exports a panel as a REDCap data dictionary that imports back to the same biomarkers (round trip)", async () => {
    const imported = await upload(team.contributor.api, "baseline-small.csv", "?name=Round%20trip");
    expect(imported.status).toBe(201);
    const panel = imported.body.panel;
    const exported = await team.observer.api.get(`${panelsPath()}/${panel.id}/redcap-dictionary.csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="round-trip-v1-redcap-dictionary.csv"');
    expect(exported.body).toMatch(/^Variable \/ Field Name,Form Name,/);

    const again = await team.contributor.api.request("POST", `${panelsPath()}/import?name=Again`, exported.body, {
      "content-type": "text/csv",
    });
    expect(again.status).toBe(201);
    const essentials = (b: Record<string, unknown>) => ({
      code: b.code,
      label: b.label,
      unit: b.unit,
      valueType: b.valueType,
      plausibleMin: b.plausibleMin,
      plausibleMax: b.plausibleMax,
      loinc: b.loinc,
      categories: b.categories,
    });
    expect(again.body.panel.biomarkers.map(essentials)).toEqual(panel.biomarkers.map(essentials));
    // The categories are data on both sides, not a line of the description.
    const sex = again.body.panel.biomarkers.find((b: { code: string }) => b.code === "sex");
    expect(sex).toMatchObject({
      categories: [
        { code: "1", label: "Male" },
        { code: "2", label: "Female" },
      ],
      description: "",
    });
    expect(again.body.fields.map((f: { choices: unknown }) => f.choices)).toEqual(
      imported.body.fields.map((f: { choices: unknown }) => f.choices),
    );
    expect(again.body.skipped.map((s: { field: string }) => s.field)).toEqual(["record_id"]);
  });
});
