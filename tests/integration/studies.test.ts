import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const studiesPath = () => `/api/v1/workspaces/${team.workspaceId}/studies`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

const raison2013 = {
  title: "Raison 2013: infliximab for treatment-resistant depression",
  design: "rct",
  registryId: "NCT00463580",
  population: "Treatment-resistant major depression, stratified by hs-CRP",
  arms: [
    { name: "infliximab", class: "anti-inflammatory", dose: "5 mg/kg at weeks 0, 2, 6" },
    { name: "placebo", class: "placebo" },
  ],
  outcomes: [{ name: "HAM-D 17", kind: "continuous", timepoint: "week 12" }],
};

describe("studies", () => {
  it("lets a contributor create a study with its arms and outcomes, which every member can read", async () => {
    const created = await team.contributor.api.post(studiesPath(), raison2013);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: raison2013.title,
      design: "rct",
      version: 1,
      arms: [
        { name: "infliximab", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo", dose: "" },
      ],
      outcomes: [{ name: "HAM-D 17", kind: "continuous" }],
    });
    const read = await team.observer.api.get(`${studiesPath()}/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, datasets: [] });
    const list = await team.observer.api.get(studiesPath());
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(created.body.id);
  });

  it("refuses an observer (403) and hides the workspace from a non-member (404)", async () => {
    expect((await team.observer.api.post(studiesPath(), raison2013)).status).toBe(403);
    expect((await team.outsider.api.post(studiesPath(), raison2013)).status).toBe(404);
    expect((await team.outsider.api.get(studiesPath())).status).toBe(404);
  });

  it("refuses an unknown design or arm class with 400 naming the field, and creates nothing", async () => {
    const before = (await team.lead.api.get(studiesPath())).body.items.length;
    const badDesign = await team.lead.api.post(studiesPath(), { ...raison2013, design: "vibes" });
    expect(badDesign.status).toBe(400);
    expect(badDesign.body.error.details[0].field).toBe("design");
    const badArm = await team.lead.api.post(studiesPath(), { ...raison2013, arms: [{ name: "x", class: "magic" }] });
    expect(badArm.status).toBe(400);
    expect(badArm.body.error.details[0].field).toBe("arms.0.class");
    expect((await team.lead.api.get(studiesPath())).body.items.length).toBe(before);
  });

  it("refuses text holding a NUL character with 400 naming the field, on either engine, and creates nothing", async () => {
    const before = (await team.lead.api.get(studiesPath())).body.items.length;
    const withNul = await team.lead.api.post(studiesPath(), { ...raison2013, arms: [{ name: "infliximab\u0000" }] });
    expect(withNul.status).toBe(400);
    expect(withNul.body.error.details[0]).toMatchObject({ field: "arms.0.name", message: expect.stringContaining("NUL") });
    expect((await team.lead.api.get(studiesPath())).body.items.length).toBe(before);
  });

  it("answers 404 for a study of another workspace", async () => {
    const other = await team.outsider.api.post("/api/v1/workspaces", { name: "Elsewhere" });
    const foreign = await team.outsider.api.post(`/api/v1/workspaces/${other.body.id}/studies`, { title: "Foreign study" });
    expect(foreign.status).toBe(201);
    expect((await team.lead.api.get(`${studiesPath()}/${foreign.body.id}`)).status).toBe(404);
  });
});

describe("the study list", () => {
  it("comes in pages: nextCursor leads to the next page until there is none", async () => {
    for (const title of ["Paging A", "Paging B", "Paging C"]) await team.lead.api.post(studiesPath(), { title });
    const all = (await team.observer.api.get(`${studiesPath()}?limit=500`)).body.items.map((s: { id: string }) => s.id);
    const seen: string[] = [];
    let cursor: string | null = "0";
    while (cursor !== null) {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await team.observer.api.get(
        `${studiesPath()}?limit=2&offset=${cursor}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((s) => s.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all);
    expect((await team.observer.api.get(`${studiesPath()}?limit=0`)).status).toBe(400);
  });
});
