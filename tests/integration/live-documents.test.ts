/**
 * Writing a protocol together: the live draft on the live channel (`doc:*`)
 * and what the JSON API says of it. Editors are the app's own
 * DocumentProvider on Node sockets.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decodeUpdate, encodeUpdate, liveText } from "#app/domain/live-document.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { type Editor, openEditor, textBecomes } from "#tests/support/live-document.ts";
import { useServer } from "#tests/support/server.ts";
import { connectLive, type LiveClient } from "#tests/support/socket.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

// A low threshold, so the tests below also read drafts whose updates were folded into a snapshot.
const server = useServer({ DRAFT_COMPACTION_UPDATES: "25" });
const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

let team: Team;
beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

async function newProtocol(body = "# Sampling\n\nDraw blood at 8 am.\n"): Promise<string> {
  const created = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/protocols`, { title: "hs-CRP sampling", body });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function editor(token: string, protocolId: string): Promise<Editor> {
  const e = await openEditor(server.url, token, { workspaceId: team.workspaceId, protocolId });
  open.push(e);
  return e;
}

async function live(token: string): Promise<LiveClient> {
  const client = await connectLive(server.url, { token });
  open.push(client);
  return client;
}

const protocolUrl = (id: string) => `/api/v1/workspaces/${team.workspaceId}/protocols/${id}`;

describe("opening a protocol's live draft", () => {
  it("gives a member the server's document, whose shared text `body` is the current version", async () => {
    const protocolId = await newProtocol();
    const client = await live(team.observer.token);
    const answer = (await client.socket.emitWithAck("doc:join", { workspaceId: team.workspaceId, protocolId })) as {
      ok: boolean;
      update: string;
      canEdit: boolean;
    };
    expect(answer.ok).toBe(true);
    expect(answer.canEdit).toBe(false);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, decodeUpdate(answer.update));
    expect(doc.getText("body").toString()).toBe("# Sampling\n\nDraw blood at 8 am.\n");
  });

  it("refuses someone who is not a member, as if the protocol did not exist", async () => {
    const protocolId = await newProtocol();
    const client = await live(team.outsider.token);
    const answer = await client.socket.emitWithAck("doc:join", { workspaceId: team.workspaceId, protocolId });
    expect(answer).toMatchObject({ ok: false });
  });
});

describe("editing together", () => {
  it("relays an acknowledged edit to the others and keeps it in the protocol's draft", async () => {
    const protocolId = await newProtocol();
    const writer = await editor(team.contributor.token, protocolId);
    const reader = await editor(team.observer.token, protocolId);
    writer.insert(writer.text.indexOf("8 am"), "fasting, ");
    await writer.provider.whenSaved();
    expect(await textBecomes(reader, (t) => t.includes("fasting, 8 am"))).toContain("fasting, 8 am");

    const protocol = await team.observer.api.get(protocolUrl(protocolId));
    expect(protocol.status).toBe(200);
    expect(protocol.body.draft).toBe("# Sampling\n\nDraw blood at fasting, 8 am.\n");
    expect(protocol.body.body).toBe("# Sampling\n\nDraw blood at 8 am.\n");
    expect(protocol.body.liveDraft).toMatchObject({ sinceVersion: 1, editedBy: [{ id: team.contributor.id }] });
  });

  it("merges edits typed in the same sentence at the same time, losing no character", async () => {
    const protocolId = await newProtocol("Draw blood.");
    const a = await editor(team.contributor.token, protocolId);
    const b = await editor(team.lead.token, protocolId);
    a.insert(4, " venous");
    b.insert(10, " twice");
    await Promise.all([a.provider.whenSaved(), b.provider.whenSaved()]);
    const expected = "Draw venous blood twice.";
    await textBecomes(a, (t) => t === expected);
    await textBecomes(b, (t) => t === expected);
    expect((await team.lead.api.get(protocolUrl(protocolId))).body.draft).toBe(expected);
  });

  it("refuses an observer's update and a non-member's, and stores neither", async () => {
    const protocolId = await newProtocol("Stay as you are.");
    const observer = await live(team.observer.token);
    await observer.socket.emitWithAck("doc:join", { workspaceId: team.workspaceId, protocolId });
    const forged = new Y.Doc();
    liveText(forged).insert(0, "vandalised ");
    const update = encodeUpdate(Y.encodeStateAsUpdate(forged));
    expect(await observer.socket.emitWithAck("doc:update", { protocolId, update })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    const outsider = await live(team.outsider.token);
    expect(await outsider.socket.emitWithAck("doc:update", { protocolId, update })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect((await team.lead.api.get(protocolUrl(protocolId))).body.draft).toBe("Stay as you are.");
  });

  it("refuses what is not an edit of the shared text, and stores nothing", async () => {
    const protocolId = await newProtocol("Unchanged.");
    const client = await live(team.contributor.token);
    await client.socket.emitWithAck("doc:join", { workspaceId: team.workspaceId, protocolId });
    const garbage = await client.socket.emitWithAck("doc:update", { protocolId, update: "AAEC" });
    expect(garbage).toMatchObject({ ok: false });
    const other = new Y.Doc();
    other.getMap("settings").set("font", "Comic Sans");
    const foreign = await client.socket.emitWithAck("doc:update", { protocolId, update: encodeUpdate(Y.encodeStateAsUpdate(other)) });
    expect(foreign).toMatchObject({ ok: false, error: { code: "unprocessable" } });
    const notBase64 = await client.socket.emitWithAck("doc:update", { protocolId, update: "not base64!" });
    expect(notBase64).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const protocol = (await team.lead.api.get(protocolUrl(protocolId))).body;
    expect(protocol.draft).toBe("Unchanged.");
    expect(protocol.liveDraft.editedBy).toEqual([]);
  });

  it("records one audit event per person's spell of editing, not one per keystroke", async () => {
    const protocolId = await newProtocol("");
    const before = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/events?limit=1000`);
    const after = before.body.items.at(-1)?.id ?? "0";
    const a = await editor(team.contributor.token, protocolId);
    for (const letter of "keystrokes") {
      a.insert(a.text.length, letter);
      await a.provider.whenSaved();
    }
    const b = await editor(team.lead.token, protocolId);
    b.insert(0, "Many ");
    await b.provider.whenSaved();
    const events = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/events?after=${after}&limit=1000`);
    const spells = events.body.items.filter(
      (e: { type: string; target: { id: string } }) => e.type === "protocol.draft_edited" && e.target.id === protocolId,
    );
    expect(spells.map((e: { actor: { id: string } }) => e.actor.id).sort()).toEqual([team.contributor.id, team.lead.id].sort());
  });

  it("folds many updates into a snapshot without changing the text a newcomer receives", async () => {
    const protocolId = await newProtocol("");
    const a = await editor(team.contributor.token, protocolId);
    const typed = "Every acknowledged keystroke survives compaction. ".repeat(2);
    for (const char of typed) {
      a.insert(a.text.length, char);
      await a.provider.whenSaved();
    }
    a.delete(0, 6);
    await a.provider.whenSaved();
    const newcomer = await editor(team.observer.token, protocolId);
    expect(newcomer.text).toBe(typed.slice(6));
    expect((await team.lead.api.get(protocolUrl(protocolId))).body.draft).toBe(typed.slice(6));
  });
});

describe("versions cut from the live draft", () => {
  it("saves the live text as the next version, and the draft is then based on it", async () => {
    const protocolId = await newProtocol("Draw blood.");
    const a = await editor(team.contributor.token, protocolId);
    a.insert(10, " at 8 am");
    await a.provider.whenSaved();
    const saved = await team.contributor.api.post(`${protocolUrl(protocolId)}/draft/versions`, { note: "time of day" });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ version: 2, body: "Draw blood at 8 am.", note: "time of day" });
    const protocol = (await team.lead.api.get(protocolUrl(protocolId))).body;
    expect(protocol).toMatchObject({ version: 2, draft: "Draw blood at 8 am.", liveDraft: { sinceVersion: 2, editedBy: [] } });
    const again = await team.contributor.api.post(`${protocolUrl(protocolId)}/draft/versions`, {});
    expect(again.status).toBe(422);
  });

  it("merges a script's save based on the current version into the draft others are typing in", async () => {
    const protocolId = await newProtocol("Draw blood.\n\nSpin at 2000 g.\n");
    const typing = await editor(team.contributor.token, protocolId);
    typing.insert(typing.text.length, "Freeze at -80 °C.\n");
    await typing.provider.whenSaved();

    // The script read version 1 and changed its first line.
    const saved = await team.lead.api.post(`${protocolUrl(protocolId)}/versions`, {
      baseVersion: 1,
      body: "Draw venous blood.\n\nSpin at 2000 g.\n",
      note: "venous",
    });
    expect(saved.status).toBe(201);
    const merged = "Draw venous blood.\n\nSpin at 2000 g.\nFreeze at -80 °C.\n";
    expect(saved.body.body).toBe(merged);
    expect(await textBecomes(typing, (t) => t === merged)).toBe(merged);

    const stale = await team.lead.api.post(`${protocolUrl(protocolId)}/versions`, { baseVersion: 1, body: "Something else." });
    expect(stale.status).toBe(409);
    expect((await team.lead.api.get(protocolUrl(protocolId))).body.draft).toBe(merged);
  });

  it("takes a script's save unchanged when nobody is editing", async () => {
    const protocolId = await newProtocol("One.");
    const saved = await team.lead.api.post(`${protocolUrl(protocolId)}/versions`, { baseVersion: 1, body: "Two." });
    expect(saved.status).toBe(201);
    expect(saved.body.body).toBe("Two.");
    expect((await team.lead.api.get(protocolUrl(protocolId))).body).toMatchObject({ version: 2, body: "Two.", draft: "Two." });
  });
});

describe("losing access", () => {
  it("ends a removed member's document connection at once and refuses their edits", async () => {
    const protocolId = await newProtocol("Members only.");
    const extra = await workspaceWithRoles(server.url);
    // A second contributor in the main team's workspace, removed below.
    const invitation = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/invitations`, { role: "contributor" });
    await extra.contributor.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
    const leaving = await editor(extra.contributor.token, protocolId);
    const closed = new Promise((resolve) => leaving.socket.once("doc:closed", resolve));
    const removed = await team.lead.api.delete(`/api/v1/workspaces/${team.workspaceId}/members/${extra.contributor.id}`);
    expect(removed.status).toBe(204);
    await closed;
    expect(leaving.provider.current.status).toBe("closed");
    const forged = new Y.Doc();
    liveText(forged).insert(0, "after removal ");
    const answer = await leaving.socket.emitWithAck("doc:update", { protocolId, update: encodeUpdate(Y.encodeStateAsUpdate(forged)) });
    expect(answer).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await team.lead.api.get(protocolUrl(protocolId))).body.draft).toBe("Members only.");
  });
});
