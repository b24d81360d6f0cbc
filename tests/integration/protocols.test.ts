import { beforeAll, describe, expect, it } from "vitest";
import { registerUser, workspaceWithRoles, type TestUser } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const protocolsPath = (ws = team.workspaceId) => `/api/v1/workspaces/${ws}/protocols`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

const SOP = `# Blood sampling

Fasting venous blood between 08:00 and 10:00.

## Processing

Centrifuge at 1500 g for 10 minutes.

## Storage

Aliquot serum and store at −80 °C.
`;

async function createProtocol(user: TestUser = team.contributor, body = SOP) {
  const created = await user.api.post(protocolsPath(), {
    title: `hs-CRP SOP ${Math.random().toString(36).slice(2, 7)}`,
    body,
    note: "First draft",
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; title: string; version: number };
}

async function eventsOfType(type: string, targetId?: string, ws = team.workspaceId) {
  const events = await team.lead.api.get(`/api/v1/workspaces/${ws}/events?limit=1000`);
  return (events.body.items as { type: string; target: { id: string }; payload: Record<string, unknown> }[]).filter(
    (e) => e.type === type && (!targetId || e.target.id === targetId),
  );
}

describe("creating and reading protocols", () => {
  it("lets a contributor create a protocol whose text is version 1, rendered with section anchors, readable by an observer", async () => {
    const created = await team.contributor.api.post(protocolsPath(), {
      title: "Blood sampling and hs-CRP assay SOP",
      body: SOP,
      note: "First draft",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: "Blood sampling and hs-CRP assay SOP",
      status: "draft",
      version: 1,
      body: SOP,
      forkedFrom: null,
      approvedVersion: null,
      currentVersion: { version: 1, note: "First draft", author: { id: team.contributor.id, name: team.contributor.name } },
      createdBy: { id: team.contributor.id },
    });
    expect(created.body.headings).toEqual([
      { id: "blood-sampling", text: "Blood sampling", level: 1 },
      { id: "processing", text: "Processing", level: 2 },
      { id: "storage", text: "Storage", level: 2 },
    ]);
    expect(created.body.html).toContain('<h2 id="processing">Processing</h2>');

    const read = await team.observer.api.get(`${protocolsPath()}/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.body.id);
    const list = await team.observer.api.get(protocolsPath());
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items.find((p: { id: string }) => p.id === created.body.id)).toMatchObject({ status: "draft", version: 1 });

    const [event] = await eventsOfType("protocol.created", created.body.id);
    expect(event.payload).toMatchObject({ title: "Blood sampling and hs-CRP assay SOP", version: 1, note: "First draft" });
  });

  it("refuses an observer (403) and hides the workspace from a non-member (404), writing nothing", async () => {
    const before = (await team.lead.api.get(protocolsPath())).body.items.length;
    expect((await team.observer.api.post(protocolsPath(), { title: "Nope" })).status).toBe(403);
    expect((await team.outsider.api.post(protocolsPath(), { title: "Nope" })).status).toBe(404);
    expect((await team.outsider.api.get(protocolsPath())).status).toBe(404);
    expect((await team.lead.api.get(protocolsPath())).body.items.length).toBe(before);
  });

  it("refuses a missing title with 400 naming the field", async () => {
    const response = await team.contributor.api.post(protocolsPath(), { body: "text" });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe("title");
  });

  it("answers 404 for a protocol of another workspace, on every path", async () => {
    const other = await team.outsider.api.post("/api/v1/workspaces", { name: "Elsewhere" });
    const foreign = await team.outsider.api.post(protocolsPath(other.body.id), { title: "Foreign protocol", body: "x" });
    expect(foreign.status).toBe(201);
    const path = `${protocolsPath()}/${foreign.body.id}`;
    expect((await team.lead.api.get(path)).status).toBe(404);
    expect((await team.lead.api.patch(path, { title: "Mine now", baseVersion: 1 })).status).toBe(404);
    expect((await team.lead.api.get(`${path}/versions`)).status).toBe(404);
    expect((await team.lead.api.post(`${path}/versions`, { body: "y", baseVersion: 1 })).status).toBe(404);
    expect((await team.lead.api.get(`${path}/versions/1`)).status).toBe(404);
    expect((await team.lead.api.get(`${path}/diff?from=1&to=1`)).status).toBe(404);
    expect((await team.lead.api.post(`${path}/fork`, { workspaceId: team.workspaceId })).status).toBe(404);
    const untouched = await team.outsider.api.get(`${protocolsPath(other.body.id)}/${foreign.body.id}`);
    expect(untouched.body).toMatchObject({ title: "Foreign protocol", version: 1 });
  });
});

describe("versions", () => {
  it("saves every edit as a new version with author, time and note, and lists them newest first, paged", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}`;
    const second = await team.contributor.api.post(`${path}/versions`, {
      body: SOP.replace("1500 g", "2000 g"),
      baseVersion: 1,
      note: "Centrifuge faster",
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      protocolId: protocol.id,
      version: 2,
      note: "Centrifuge faster",
      author: { id: team.contributor.id },
    });
    const third = await team.lead.api.post(`${path}/versions`, { body: `${SOP}\n## Shipping\n\nOn dry ice.\n`, baseVersion: 2 });
    expect(third.status).toBe(201);
    expect(third.body.note).toBeNull();

    const page1 = await team.observer.api.get(`${path}/versions?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    expect(page1.body.nextCursor).toBe("2");
    const page2 = await team.observer.api.get(`${path}/versions?limit=2&before=${page1.body.nextCursor}`);
    expect(page2.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(page2.body.nextCursor).toBeNull();
    expect(page2.body.items[0]).toMatchObject({ note: "First draft", author: { name: team.contributor.name } });
    expect(Date.parse(page2.body.items[0].createdAt)).not.toBeNaN();

    const old = await team.observer.api.get(`${path}/versions/2`);
    expect(old.status).toBe(200);
    expect(old.body.body).toContain("2000 g");
    expect(old.body.headings.map((h: { id: string }) => h.id)).toEqual(["blood-sampling", "processing", "storage"]);
    expect((await team.observer.api.get(`${path}/versions/9`)).status).toBe(404);
    expect((await team.observer.api.get(`${path}/versions/abc`)).status).toBe(404);

    const events = await eventsOfType("protocol.version_added", protocol.id);
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ version: 2, previousVersion: 1, note: "Centrifuge faster" }),
      expect.objectContaining({ version: 3, previousVersion: 2, note: null }),
    ]);
  });

  it("refuses an observer (403) and writes nothing", async () => {
    const protocol = await createProtocol();
    const response = await team.observer.api.post(`${protocolsPath()}/${protocol.id}/versions`, { body: "changed", baseVersion: 1 });
    expect(response.status).toBe(403);
    expect((await team.lead.api.get(`${protocolsPath()}/${protocol.id}`)).body.version).toBe(1);
  });

  it("answers 409 on a stale baseVersion with the current version and body, and writes nothing", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}/versions`;
    // Two people open version 1; the first saves.
    const first = await team.contributor.api.post(path, { body: `${SOP}\nFirst person's change.\n`, baseVersion: 1, note: "first" });
    expect(first.status).toBe(201);
    const eventsBefore = (await eventsOfType("protocol.version_added", protocol.id)).length;
    // The second saves on the same base.
    const stale = await team.lead.api.post(path, { body: `${SOP}\nSecond person's change.\n`, baseVersion: 1, note: "second" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("conflict");
    expect(stale.body.error.details[0]).toMatchObject({
      currentVersion: 2,
      current: { version: 2, body: `${SOP}\nFirst person's change.\n`, note: "first", author: { id: team.contributor.id } },
    });
    const versions = await team.lead.api.get(path);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await eventsOfType("protocol.version_added", protocol.id)).length).toBe(eventsBefore);

    // After merging, saving on the current version works.
    const merged = await team.lead.api.post(path, { body: `${SOP}\nFirst person's change.\nSecond person's change.\n`, baseVersion: 2 });
    expect(merged.status).toBe(201);
    expect(merged.body.version).toBe(3);
  });

  it("refuses an unchanged text (422), a missing baseVersion (400) and a body that is not text (400)", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}/versions`;
    const same = await team.contributor.api.post(path, { body: SOP.replace(/\n/g, "\r\n"), baseVersion: 1 });
    expect(same.status).toBe(422);
    const missing = await team.contributor.api.post(path, { body: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe("baseVersion");
    const notText = await team.contributor.api.post(path, { body: 42, baseVersion: 1 });
    expect(notText.status).toBe(400);
    expect(notText.body.error.details[0].field).toBe("body");
  });

  it("diffs any two versions line by line", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}`;
    await team.contributor.api.post(`${path}/versions`, { body: SOP.replace("1500 g", "2000 g"), baseVersion: 1 });
    const diff = await team.observer.api.get(`${path}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: { version: 1 }, to: { version: 2 }, added: 1, removed: 1 });
    const removed = diff.body.lines.find((l: { kind: string }) => l.kind === "removed");
    const added = diff.body.lines.find((l: { kind: string }) => l.kind === "added");
    expect(removed.text).toBe("Centrifuge at 1500 g for 10 minutes.");
    expect(added.text).toBe("Centrifuge at 2000 g for 10 minutes.");
    expect(added.parts.filter((p: { changed: boolean }) => p.changed).map((p: { text: string }) => p.text)).toEqual(["2000"]);
    expect((await team.observer.api.get(`${path}/diff?from=1`)).status).toBe(400);
    expect((await team.observer.api.get(`${path}/diff?from=1&to=7`)).status).toBe(404);
  });
});

describe("title and status", () => {
  it("lets a contributor rename, records before and after, and needs the current baseVersion", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}`;
    const renamed = await team.contributor.api.patch(path, { title: "hs-CRP SOP, revised", baseVersion: 1 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ title: "hs-CRP SOP, revised", version: 1 });
    const [event] = await eventsOfType("protocol.updated", protocol.id);
    expect(event.payload).toMatchObject({ before: { title: protocol.title }, after: { title: "hs-CRP SOP, revised" } });

    await team.contributor.api.post(`${path}/versions`, { body: "new text", baseVersion: 1 });
    const stale = await team.contributor.api.patch(path, { title: "Stale rename", baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0].currentVersion).toBe(2);
    expect((await team.lead.api.get(path)).body.title).toBe("hs-CRP SOP, revised");
  });

  it("lets only a lead approve; the approval belongs to the version the lead read", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}`;
    expect((await team.contributor.api.patch(path, { status: "approved", baseVersion: 1 })).status).toBe(403);
    expect((await team.observer.api.patch(path, { title: "x", baseVersion: 1 })).status).toBe(403);
    expect((await team.outsider.api.patch(path, { status: "approved", baseVersion: 1 })).status).toBe(404);
    expect((await team.lead.api.get(path)).body.status).toBe("draft");

    const approved = await team.lead.api.patch(path, { status: "approved", baseVersion: 1 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", approvedVersion: 1, approvedBy: { id: team.lead.id } });
    const [event] = await eventsOfType("protocol.updated", protocol.id);
    expect(event.payload).toMatchObject({ before: { status: "draft" }, after: { status: "approved" }, version: 1 });

    // New text is a draft again until a lead approves it; the earlier approval stays visible.
    const saved = await team.contributor.api.post(`${path}/versions`, { body: "revised text", baseVersion: 1, note: "revision" });
    expect(saved.status).toBe(201);
    const after = await team.lead.api.get(path);
    expect(after.body).toMatchObject({ status: "draft", version: 2, approvedVersion: 1 });
    const [added] = await eventsOfType("protocol.version_added", protocol.id);
    expect(added.payload).toMatchObject({ before: { status: "approved" }, after: { status: "draft" } });
  });

  it("supersedes, keeps a superseded protocol read-only, and refuses impossible changes with 422", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}`;
    expect((await team.lead.api.patch(path, { status: "superseded", baseVersion: 1 })).status).toBe(200);
    expect((await team.contributor.api.post(`${path}/versions`, { body: "edit", baseVersion: 1 })).status).toBe(422);
    expect((await team.contributor.api.patch(path, { title: "Renamed", baseVersion: 1 })).status).toBe(422);
    expect((await team.lead.api.patch(path, { status: "approved", baseVersion: 1 })).status).toBe(422);
    expect((await team.lead.api.patch(path, { status: "draft", baseVersion: 1 })).status).toBe(200);
    expect((await team.lead.api.patch(path, { status: "retired", baseVersion: 1 })).status).toBe(400);
    expect((await team.lead.api.patch(path, { baseVersion: 1 })).status).toBe(400);
  });
});

describe("discussing a protocol", () => {
  it("lets an observer comment on a protocol and on one of its sections by its anchor", async () => {
    const protocol = await createProtocol();
    const read = await team.observer.api.get(`${protocolsPath()}/${protocol.id}`);
    const section = read.body.headings.find((h: { text: string }) => h.text === "Processing").id;
    const comment = await team.observer.api.post(`/api/v1/workspaces/${team.workspaceId}/comments`, {
      target: { type: "protocol", id: protocol.id, anchor: { section } },
      body: "Is 1500 g enough for SST tubes?",
    });
    expect(comment.status).toBe(201);
    expect(comment.body.target).toMatchObject({ type: "protocol", id: protocol.id, anchor: { section: "processing" } });
  });
});

describe("forking", () => {
  it("forks into another workspace where the caller contributes; the fork remembers its origin", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}`;
    await team.contributor.api.post(`${path}/versions`, { body: `${SOP}\nv2\n`, baseVersion: 1 });
    const target = await team.contributor.api.post("/api/v1/workspaces", { name: "Contributor's own group" });

    const fork = await team.contributor.api.post(`${path}/fork`, { workspaceId: target.body.id, version: 1 });
    expect(fork.status).toBe(201);
    expect(fork.body).toMatchObject({
      workspaceId: target.body.id,
      title: protocol.title,
      status: "draft",
      version: 1,
      body: SOP,
      forkedFrom: { protocolId: protocol.id, workspaceId: team.workspaceId, version: 1 },
    });
    expect((await team.contributor.api.get(`${protocolsPath(target.body.id)}/${fork.body.id}`)).status).toBe(200);

    // Recorded in both workspaces; the origin's event names neither the target nor the fork.
    const [inOrigin] = await eventsOfType("protocol.forked", protocol.id);
    expect(inOrigin.payload).toMatchObject({ direction: "out", version: 1 });
    expect(JSON.stringify(inOrigin)).not.toContain(target.body.id);
    expect(JSON.stringify(inOrigin)).not.toContain(fork.body.id);
    const targetEvents = await team.contributor.api.get(`/api/v1/workspaces/${target.body.id}/events`);
    const inTarget = targetEvents.body.items.find((e: { type: string }) => e.type === "protocol.forked");
    expect(inTarget).toMatchObject({
      target: { id: fork.body.id },
      payload: { direction: "in", forkedFromProtocolId: protocol.id, forkedFromVersion: 1 },
    });
    // The origin is unchanged and lists no fork.
    expect((await team.lead.api.get(path)).body).toMatchObject({ version: 2, forkedFrom: null });
  });

  it("needs a contributor or lead role in the target workspace", async () => {
    const protocol = await createProtocol();
    const path = `${protocolsPath()}/${protocol.id}/fork`;
    // The observer watches a workspace of the outsider's: an observer there cannot fork into it.
    const elsewhere = await team.outsider.api.post("/api/v1/workspaces", { name: "Outsider group" });
    const invitation = await team.outsider.api.post(`/api/v1/workspaces/${elsewhere.body.id}/invitations`, { role: "observer" });
    await team.observer.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
    expect((await team.observer.api.post(path, { workspaceId: elsewhere.body.id })).status).toBe(403);
    // Not a member of the target: 404, the target's existence is not revealed.
    expect((await team.contributor.api.post(path, { workspaceId: elsewhere.body.id })).status).toBe(404);
    // Not into the same workspace, and not a version that does not exist.
    const same = await team.contributor.api.post(path, { workspaceId: team.workspaceId });
    expect(same.status).toBe(400);
    expect(same.body.error.details[0].field).toBe("workspaceId");
    const own = await team.contributor.api.post("/api/v1/workspaces", { name: "Another own group" });
    expect((await team.contributor.api.post(path, { workspaceId: own.body.id, version: 5 })).status).toBe(404);
    expect((await team.contributor.api.get(protocolsPath(own.body.id))).body.items).toEqual([]);
    expect((await team.outsider.api.get(protocolsPath(elsewhere.body.id))).body.items).toEqual([]);
  });

  it("lets a stranger to the origin read nothing of it through the fork", async () => {
    const protocol = await createProtocol();
    const target = await team.contributor.api.post("/api/v1/workspaces", { name: "Shared with a stranger" });
    const fork = await team.contributor.api.post(`${protocolsPath()}/${protocol.id}/fork`, { workspaceId: target.body.id });
    const stranger = await registerUser(server.url, "Stranger Researcher");
    const invitation = await team.contributor.api.post(`/api/v1/workspaces/${target.body.id}/invitations`, { role: "observer" });
    // Only a lead may invite: the contributor created this workspace, so they lead it.
    expect(invitation.status).toBe(201);
    await stranger.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
    const seen = await stranger.api.get(`${protocolsPath(target.body.id)}/${fork.body.id}`);
    expect(seen.status).toBe(200);
    expect((await stranger.api.get(`${protocolsPath()}/${protocol.id}`)).status).toBe(404);
  });
});
