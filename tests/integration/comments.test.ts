import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";
import { connectLive } from "#tests/support/socket.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
const onStudy = (body: string, extra: Record<string, unknown> = {}) => ({ target: { type: "study", id: studyId }, body, ...extra });

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  studyId = (await team.contributor.api.post(`${ws()}/studies`, { title: "Raison 2013" })).body.id;
});

describe("comments", () => {
  it("lets any member, an observer too, start a thread and reply, with markdown rendered safely", async () => {
    const root = await team.observer.api.post(`${ws()}/comments`, onStudy("Is the **CRP > 5** split pre-registered?"));
    expect(root.status).toBe(201);
    expect(root.body).toMatchObject({
      target: { type: "study", id: studyId, anchor: null },
      parentId: null,
      body: "Is the **CRP > 5** split pre-registered?",
      author: { id: team.observer.id, name: team.observer.name },
      deleted: false,
      resolvedAt: null,
    });
    expect(root.body.bodyHtml).toContain("<strong>CRP &gt; 5</strong>");
    const reply = await team.lead.api.post(`${ws()}/comments`, onStudy("Yes, see the protocol.", { parentId: root.body.id }));
    expect(reply.body.parentId).toBe(root.body.id);
    const replyToReply = await team.contributor.api.post(`${ws()}/comments`, onStudy("Thanks!", { parentId: reply.body.id }));
    expect(replyToReply.body.parentId).toBe(root.body.id);
    const list = await team.observer.api.get(`${ws()}/comments?targetType=study&targetId=${studyId}`);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([root.body.id, reply.body.id, replyToReply.body.id]);
  });

  it("brings XSS payloads back inert", async () => {
    const payloads = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(1))",
      '<a href="javascript:alert(1)">x</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<svg onload="alert(1)"></svg>',
    ];
    for (const body of payloads) {
      const created = await team.contributor.api.post(`${ws()}/comments`, onStudy(body));
      expect(created.status).toBe(201);
      expect(created.body.body).toBe(body);
      expect(created.body.bodyHtml).not.toMatch(/<script|onerror|onload|javascript:|<iframe|<svg/i);
    }
  });

  it("lets only the author edit, and the author or a lead delete; the audit trail keeps the deleted text", async () => {
    const comment = (await team.contributor.api.post(`${ws()}/comments`, onStudy("Dose was 5 mg/kg."))).body;
    expect((await team.lead.api.patch(`${ws()}/comments/${comment.id}`, { body: "changed" })).status).toBe(403);
    const edited = await team.contributor.api.patch(`${ws()}/comments/${comment.id}`, { body: "Dose was 5 mg/kg at weeks 0, 2, 6." });
    expect(edited.status).toBe(200);
    expect(edited.body.editedAt).not.toBeNull();
    expect((await team.observer.api.delete(`${ws()}/comments/${comment.id}`)).status).toBe(403);
    expect((await team.lead.api.delete(`${ws()}/comments/${comment.id}`)).status).toBe(204);
    const after = await team.observer.api.get(`${ws()}/comments/${comment.id}`);
    expect(after.body).toMatchObject({ deleted: true, body: "", bodyHtml: "" });
    const trail = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items;
    const deletion = trail.find(
      (e: { type: string; target: { id: string } }) => e.type === "comment.deleted" && e.target.id === comment.id,
    );
    expect(deletion.payload.before).toBe("Dose was 5 mg/kg at weeks 0, 2, 6.");
    const edit = trail.find((e: { type: string; target: { id: string } }) => e.type === "comment.edited" && e.target.id === comment.id);
    expect(edit.payload).toMatchObject({ before: "Dose was 5 mg/kg.", after: "Dose was 5 mg/kg at weeks 0, 2, 6." });
  });

  it("resolves and reopens a thread; an observer may only resolve their own", async () => {
    const mine = (await team.observer.api.post(`${ws()}/comments`, onStudy("Typo in the arm name?"))).body;
    const theirs = (await team.contributor.api.post(`${ws()}/comments`, onStudy("Check the SDs."))).body;
    expect((await team.observer.api.post(`${ws()}/comments/${theirs.id}/resolve`)).status).toBe(403);
    const resolved = await team.observer.api.post(`${ws()}/comments/${mine.id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolvedBy).toEqual({ id: team.observer.id, name: team.observer.name });
    const reopened = await team.contributor.api.post(`${ws()}/comments/${mine.id}/reopen`);
    expect(reopened.body.resolvedAt).toBeNull();
  });

  it("records mentions of members only", async () => {
    const body = `@[${team.lead.name}](mention:${team.lead.id}) and @[Stranger](mention:${team.outsider.id}) please look`;
    const created = await team.contributor.api.post(`${ws()}/comments`, onStudy(body));
    expect(created.body.bodyHtml).toContain(`<strong>@${team.lead.name}</strong>`);
    const trail = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items;
    const event = trail.find(
      (e: { type: string; target: { id: string } }) => e.type === "comment.created" && e.target.id === created.body.id,
    );
    expect(event.payload.mentions).toEqual([team.lead.id]);
  });

  it("refuses bad input and foreign targets without writing anything", async () => {
    const before = await server.database.count("comments");
    const other = await team.outsider.api.post("/api/v1/workspaces", { name: "Elsewhere" });
    const foreignStudy = (await team.outsider.api.post(`/api/v1/workspaces/${other.body.id}/studies`, { title: "Foreign" })).body.id;
    expect((await team.lead.api.post(`${ws()}/comments`, { target: { type: "study", id: foreignStudy }, body: "hi" })).status).toBe(404);
    expect((await team.lead.api.post(`${ws()}/comments`, onStudy("   "))).status).toBe(400);
    expect((await team.lead.api.post(`${ws()}/comments`, { target: { type: "spreadsheet", id: studyId }, body: "x" })).status).toBe(400);
    expect((await team.lead.api.post(`${ws()}/comments`, onStudy("x".repeat(10_001)))).status).toBe(400);
    expect((await team.outsider.api.post(`${ws()}/comments`, onStudy("let me in"))).status).toBe(404);
    expect(await server.database.count("comments")).toBe(before);
  });

  it("reaches every member looking at the workspace at once, as an event carrying the comment", async () => {
    const live = await connectLive(server.url, { token: team.observer.token });
    try {
      expect(await live.join(team.workspaceId)).toEqual({ ok: true });
      const created = (await team.lead.api.post(`${ws()}/comments`, onStudy("Live hello"))).body;
      const event = await live.events.waitFor((e) => e.type === "comment.created" && e.target.id === created.id);
      expect((event.payload.comment as { bodyHtml: string }).bodyHtml).toContain("Live hello");
    } finally {
      live.close();
    }
  });
});
