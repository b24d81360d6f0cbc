/**
 * Search finds what is being typed into a protocol's live draft, once typing
 * pauses (docs/decisions/029): text typed through the live channel is found
 * with a link to the draft's page, a word typed away is no longer found, and
 * nobody outside the workspace finds either.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type TestUser, workspaceWithRoles } from "#tests/support/api.ts";
import { type Editor, openEditor } from "#tests/support/live-document.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

interface Hit {
  kind: string;
  id: string;
  liveDraft: boolean;
  title: string;
  snippet: string;
  url: string;
  highlights: { snippet: { start: number; length: number }[] };
}
interface Found {
  items: Hit[];
  counts: Record<string, number>;
}

const server = useServer();
const open: Editor[] = [];
afterEach(() => {
  for (const e of open.splice(0)) e.close();
});

let team: Team;
beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

const ws = (id = team.workspaceId) => `/api/v1/workspaces/${id}`;

async function search(q: string, user: TestUser = team.observer, workspaceId = team.workspaceId): Promise<Found> {
  const answer = await user.api.get(`${ws(workspaceId)}/search?q=${encodeURIComponent(q)}`);
  expect(answer.status).toBe(200);
  return answer.body as Found;
}

/** Asks again until the answer satisfies `check`: the draft is indexed once typing pauses, not at once. */
async function searchUntil(q: string, check: (found: Found) => boolean): Promise<Found> {
  for (;;) {
    const found = await search(q);
    if (check(found)) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function newProtocol(title: string, body: string): Promise<string> {
  const created = await team.lead.api.post(`${ws()}/protocols`, { title, body });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function editor(protocolId: string): Promise<Editor> {
  const e = await openEditor(server.url, team.contributor.token, { workspaceId: team.workspaceId, protocolId });
  open.push(e);
  return e;
}

const marked = (text: string, ranges: { start: number; length: number }[]) => ranges.map((r) => text.slice(r.start, r.start + r.length));

describe("searching live drafts", () => {
  it("finds a word typed into the live draft, linking to the draft's page, and no longer finds it once it is typed away", async () => {
    const protocolId = await newProtocol("Bone density follow-up", "# Visits\n\nScan at baseline.\n");
    const draft = await editor(protocolId);
    const typed = " Give zoledronate after the scan.";
    const at = draft.text.indexOf("baseline.") + "baseline.".length;
    draft.insert(at, typed);

    const found = await searchUntil("zoledronate", (f) => f.items.length > 0);
    expect(found.items).toHaveLength(1);
    const [hit] = found.items;
    expect(hit).toMatchObject({ kind: "protocol", id: protocolId, liveDraft: true, title: "Bone density follow-up" });
    expect(hit.url).toBe(`/workspaces/${team.workspaceId}/protocols/${protocolId}/edit`);
    expect(marked(hit.snippet, hit.highlights.snippet)).toEqual(["zoledronate"]);
    expect(found.counts).toEqual({ protocol: 1 });
    // The saved version is still found by its own words, on the protocol's page.
    const saved = (await search("baseline")).items.filter((h) => h.id === protocolId);
    expect(saved.map((h) => h.liveDraft).sort()).toEqual([false, true]);

    draft.delete(draft.text.indexOf(typed), typed.length);
    const gone = await searchUntil("zoledronate", (f) => f.items.length === 0);
    expect(gone.counts).toEqual({});
    // Back to the saved text: the draft repeats the version, so only the version is found.
    expect((await search("baseline")).items.filter((h) => h.id === protocolId).map((h) => h.liveDraft)).toEqual([false]);
  });

  it("never shows a draft's words to another workspace, nor to someone outside this one", async () => {
    const protocolId = await newProtocol("Sleep diary", "Nightly entries.\n");
    const draft = await editor(protocolId);
    draft.insert(0, "Actigraphy with a wrist-worn tracker. ");
    await searchUntil("actigraphy", (f) => f.items.some((h) => h.id === protocolId && h.liveDraft));

    const elsewhere = await team.outsider.api.post("/api/v1/workspaces", { name: "Another consortium" });
    const other = await search("actigraphy", team.outsider, elsewhere.body.id);
    expect(other).toMatchObject({ items: [], counts: {} });
    const outside = await team.outsider.api.get(`${ws()}/search?q=actigraphy`);
    // Outsiders are not told the workspace exists.
    expect(outside.status).toBe(404);
  });

  it("finds the text once, as the saved version, after the draft is saved as a version", async () => {
    const protocolId = await newProtocol("Cortisol awakening response", "Saliva at waking.\n");
    const draft = await editor(protocolId);
    draft.insert(draft.text.length, "Repeat after thirty minutes with salivettes.\n");
    await searchUntil("salivettes", (f) => f.items.some((h) => h.liveDraft));

    const cut = await team.contributor.api.post(`${ws()}/protocols/${protocolId}/draft/versions`, { note: "second sample" });
    expect(cut.status).toBe(201);
    // Saving re-indexes in the same transaction: no waiting for a pause.
    const found = await search("salivettes");
    expect(found.items.map((h) => ({ id: h.id, liveDraft: h.liveDraft, url: h.url }))).toEqual([
      { id: protocolId, liveDraft: false, url: `/workspaces/${team.workspaceId}/protocols/${protocolId}` },
    ]);
  });
});
