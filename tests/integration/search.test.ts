import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, type TestUser, workspaceWithRoles } from "#tests/support/api.ts";
import { TestDatabase } from "#tests/support/database.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import { startServer, useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const ws = (id = team.workspaceId) => `/api/v1/workspaces/${id}`;

interface Hit {
  kind: string;
  id: string;
  title: string;
  snippet: string;
  url: string;
  highlights: { title: { start: number; length: number }[]; snippet: { start: number; length: number }[] };
}

async function search(q: string, user: TestUser = team.observer, workspaceId = team.workspaceId, extra = "") {
  const answer = await user.api.get(`${ws(workspaceId)}/search?q=${encodeURIComponent(q)}${extra}`);
  expect(answer.status).toBe(200);
  return answer.body as { items: Hit[]; nextCursor: string | null; counts: Record<string, number> };
}

const marked = (text: string, ranges: { start: number; length: number }[]) => ranges.map((r) => text.slice(r.start, r.start + r.length));

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

describe("workspace search", () => {
  it("ranks a title hit above a text hit, marks the matching words and links to the protocol's section", async () => {
    const inText = await team.contributor.api.post(`${ws()}/protocols`, {
      title: "Sampling procedures",
      body: "# Overview\n\nGeneral notes.\n\n## Storage\n\nKeep the tocilizumab vials at 4 °C.",
    });
    const inTitle = await team.contributor.api.post(`${ws()}/protocols`, { title: "Tocilizumab dosing", body: "Weekly infusions." });
    const found = await search("tocilizumab");
    expect(found.items.map((h) => h.id)).toEqual([inTitle.body.id, inText.body.id]);
    const [titleHit, textHit] = found.items;
    expect(marked(titleHit.title, titleHit.highlights.title)).toEqual(["Tocilizumab"]);
    expect(marked(textHit.snippet, textHit.highlights.snippet)).toEqual(["tocilizumab"]);
    expect(textHit.url).toBe(`/workspaces/${team.workspaceId}/protocols/${inText.body.id}#storage`);
    expect(found.counts).toEqual({ protocol: 2 });
  });

  it("ignores accents and case, and matches the last word as a prefix", async () => {
    const study = await team.contributor.api.post(`${ws()}/studies`, {
      title: "Köhler cohort",
      population: "Adults with Müller–Lyer depression",
      arms: [{ name: "Celecoxib" }, { name: "placebo" }],
    });
    for (const q of ["kohler", "KÖHLER", "muller lyer", "celeco"]) {
      expect((await search(q)).items.map((h) => h.id)).toContain(study.body.id);
    }
    const hit = (await search("kohler")).items.find((h) => h.id === study.body.id)!;
    expect(marked(hit.title, hit.highlights.title)).toEqual(["Köhler"]);
  });

  it("finds comments, datasets by column, biomarkers and goals, each linking to its place", async () => {
    const { studyId } = await studyWithDefaultPanel(team.contributor.api, team.workspaceId, "Minocycline trial");
    const dataset = await uploadDataset(
      team.contributor.api,
      team.workspaceId,
      studyId,
      "participant_id,arm,zonulin_level\nP1,placebo,1\nP2,placebo,2",
      {
        name: "Gut barrier",
      },
    );
    expect(dataset.status).toBe(201);
    const comment = await team.observer.api.post(`${ws()}/comments`, {
      target: { type: "study", id: studyId },
      body: "Were the quokka samples frozen?",
    });
    const goal = await team.lead.api.post(`${ws()}/goals`, {
      title: "Harmonise the panels",
      milestones: [{ title: "Agree on the wombat cut-off", metric: "checkbox" }],
    });
    expect(goal.status).toBe(201);

    const [columnHit] = (await search("zonulin")).items;
    expect(columnHit).toMatchObject({ kind: "dataset", id: dataset.body.id, title: "Gut barrier" });
    expect(columnHit.url).toBe(`/workspaces/${team.workspaceId}/datasets/${dataset.body.id}#column-zonulin_level`);

    const [commentHit] = (await search("quokka")).items;
    expect(commentHit).toMatchObject({ kind: "comment", id: comment.body.id });
    expect(commentHit.url).toBe(`/workspaces/${team.workspaceId}/studies/${studyId}#comment-${comment.body.id}`);

    expect((await search("wombat")).items.map((h) => [h.kind, h.id])).toEqual([["goal", goal.body.id]]);
    expect((await search("hs crp", team.observer, team.workspaceId, "&kind=biomarker")).items[0]).toMatchObject({ kind: "biomarker" });
  });

  it("never shows another workspace's things, not even in the counts, and hides the workspace from outsiders", async () => {
    const other = await registerUser(server.url, "Other Lead");
    const otherWs = (await other.api.post("/api/v1/workspaces", { name: "Other consortium" })).body.id as string;
    await other.api.post(`${ws(otherWs)}/studies`, { title: "Secret platypus study" });
    await team.contributor.api.post(`${ws()}/studies`, { title: "Open platypus study" });

    const mine = await search("platypus");
    expect(mine.items.map((h) => h.title)).toEqual(["Open platypus study"]);
    expect(mine.counts).toEqual({ study: 1 });
    const theirs = await search("platypus", other, otherWs);
    expect(theirs.items.map((h) => h.title)).toEqual(["Secret platypus study"]);

    const outsider = await team.outsider.api.get(`${ws()}/search?q=platypus`);
    expect(outsider.status).toBe(404);
    expect(JSON.stringify(outsider.body)).not.toContain("platypus study");
  });

  it("follows edits and deletions in the same write", async () => {
    const study = await team.contributor.api.post(`${ws()}/studies`, { title: "Aardvark pilot" });
    expect((await search("aardvark")).items.map((h) => h.id)).toEqual([study.body.id]);
    const renamed = await team.contributor.api.patch(`${ws()}/studies/${study.body.id}`, { baseVersion: 1, title: "Okapi pilot" });
    expect(renamed.status).toBe(200);
    expect((await search("aardvark")).items).toEqual([]);
    expect((await search("okapi")).items.map((h) => h.id)).toEqual([study.body.id]);

    const comment = await team.observer.api.post(`${ws()}/comments`, {
      target: { type: "study", id: study.body.id },
      body: "Narwhal dose?",
    });
    expect((await search("narwhal")).items.map((h) => h.id)).toEqual([comment.body.id]);
    expect((await team.observer.api.delete(`${ws()}/comments/${comment.body.id}`)).status).toBe(204);
    expect((await search("narwhal")).items).toEqual([]);
  });

  it("pages through the matches", async () => {
    for (let i = 0; i < 3; i++) await team.contributor.api.post(`${ws()}/studies`, { title: `Capybara study ${i}` });
    const first = await search("capybara", team.observer, team.workspaceId, "&limit=2");
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe("2");
    const second = await search("capybara", team.observer, team.workspaceId, `&limit=2&offset=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((h) => h.id)).size).toBe(3);
  });

  it("answers 400 for an empty, a word-less or an over-long query, and copes with search syntax typed as text", async () => {
    for (const q of ["", "   ", "!!! ---", "x".repeat(201)]) {
      const answer = await team.observer.api.get(`${ws()}/search?q=${encodeURIComponent(q)}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("validation_failed");
    }
    expect((await team.observer.api.get(`${ws()}/search`)).status).toBe(400);
    expect((await team.observer.api.get(`${ws()}/search?q=a&kind=nonsense`)).status).toBe(400);
    for (const q of ['"unclosed', "a AND OR NOT", "col:umn*", "(x", "NEAR(a b)", "a & | ! b:*", "'; drop table studies; --"]) {
      expect((await team.observer.api.get(`${ws()}/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
    }
  });
});

describe("the search index at start-up", () => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.dispose();
  });

  // Two server starts: the limit only stops a run that hangs.
  it("is rebuilt from the database when its tables are empty", { timeout: 180_000 }, async () => {
    database = await TestDatabase.fresh();
    let running = await startServer({}, { database });
    const lead = await registerUser(running.url, "Restarting Lead");
    const workspaceId = (await lead.api.post("/api/v1/workspaces", { name: "Restarted" })).body.id as string;
    await lead.api.post(`${ws(workspaceId)}/studies`, { title: "Pangolin registry" });
    await running.stop();

    if (database.engine === "sqlite") await database.query("DELETE FROM search_fts");
    await database.query("DELETE FROM search_entries");

    running = await startServer({}, { database });
    try {
      const found = await new ApiClient(running.url, lead.api.token).get(`${ws(workspaceId)}/search?q=pangolin`);
      expect(found.body.items.map((h: Hit) => h.title)).toEqual(["Pangolin registry"]);
      expect(running.output()).toContain("Built the search index");
    } finally {
      await running.stop();
    }
  });
});
