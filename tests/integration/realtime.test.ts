import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerUser, signInForSessionCookie, workspaceWithRoles, type TestUser } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";
import { connectLive, handshake, openSocket, type LiveClient, type LiveEvent, type PresenceMessage } from "#tests/support/socket.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const server = useServer();
const open: { close(): void }[] = [];
/** Connects with the user's token; the socket is closed after the test. */
async function live(user: TestUser): Promise<LiveClient> {
  const client = await connectLive(server.url, { token: user.token });
  open.push(client);
  return client;
}

afterEach(() => {
  for (const client of open.splice(0)) client.close();
});

async function trail(team: Team, after = "0"): Promise<LiveEvent[]> {
  const response = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/events?after=${after}&limit=1000`);
  expect(response.status).toBe(200);
  expect(response.body.nextCursor).toBeNull();
  return response.body.items;
}

/**
 * Everything the server sent this client before now has arrived: the server
 * answers a command on the same connection after any message queued before it.
 * (API changes publish their events before the HTTP answer is sent.)
 */
async function settle(client: LiveClient) {
  await client.request("workspace:leave", { workspaceId: "settle-no-such-workspace" });
}

function expectStrictIdOrder(events: LiveEvent[]) {
  const ids = events.map((e) => Number(e.id));
  for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
}

describe("connecting to the live channel", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(server.url, "Live Researcher");
  });

  it("refuses a connection without credentials", async () => {
    const socket = openSocket(server.url);
    const outcome = await handshake(socket);
    socket.disconnect();
    expect(outcome.connected).toBe(false);
    if (!outcome.connected) expect(outcome.error.message).toMatch(/unauthorized/i);
  });

  it("refuses a made-up or revoked token", async () => {
    const madeUp = openSocket(server.url, { auth: { token: "cns_notarealtoken" } });
    expect((await handshake(madeUp)).connected).toBe(false);
    madeUp.disconnect();

    const leaving = await registerUser(server.url, "Revoked Researcher");
    await leaving.api.delete("/api/v1/auth/token");
    const revoked = openSocket(server.url, { auth: { token: leaving.token } });
    expect((await handshake(revoked)).connected).toBe(false);
    revoked.disconnect();
  });

  it("refuses a connection from another site's page, even with a valid token", async () => {
    const socket = openSocket(server.url, { auth: { token: user.token }, extraHeaders: { origin: "http://evil.example" } });
    const outcome = await handshake(socket);
    socket.disconnect();
    expect(outcome.connected).toBe(false);
  });

  it("accepts a token, with or without our own Origin", async () => {
    const plain = await connectLive(server.url, { token: user.token });
    open.push(plain);
    expect(plain.socket.connected).toBe(true);
    const sameOrigin = await connectLive(server.url, { token: user.token }, { extraHeaders: { origin: server.url } });
    open.push(sameOrigin);
    expect(sameOrigin.socket.connected).toBe(true);
  });

  it("accepts the browser's session cookie", async () => {
    const cookie = await signInForSessionCookie(server.url, user.email, user.password);
    const client = await connectLive(server.url, { cookie }, { extraHeaders: { cookie, origin: server.url } });
    open.push(client);
    expect(client.socket.connected).toBe(true);
  });

  it("works over HTTP long-polling as well as WebSocket", async () => {
    const team = await workspaceWithRoles(server.url);
    const client = await connectLive(server.url, { token: team.observer.token }, { transports: ["polling"] });
    open.push(client);
    expect(await client.join(team.workspaceId)).toEqual({ ok: true });
    expect(client.eventsOf(team.workspaceId).map((e) => e.id)).toEqual((await trail(team)).map((e) => e.id));
  });
});

describe("joining a workspace", () => {
  it("replays the whole trail in id order, then acknowledges with ok: the same events as GET /events", async () => {
    const team = await workspaceWithRoles(server.url);
    const client = await live(team.observer);
    expect(await client.join(team.workspaceId)).toEqual({ ok: true });
    const replayed = client.eventsOf(team.workspaceId);
    expect(replayed).toEqual(await trail(team));
    expect(replayed.length).toBeGreaterThan(0);
    expectStrictIdOrder(replayed);
    for (const event of replayed) {
      expect(event).toEqual({
        id: expect.stringMatching(/^\d+$/),
        workspaceId: team.workspaceId,
        type: expect.any(String),
        actor: { id: expect.any(String), name: expect.any(String) },
        target: { type: expect.any(String), id: expect.any(String) },
        payload: expect.any(Object),
        createdAt: expect.any(String),
      });
    }
  });

  it("refuses a non-member with ok: false and an error, and sends them none of the workspace's events", async () => {
    const team = await workspaceWithRoles(server.url);
    const client = await live(team.outsider);
    const answer = await client.join(team.workspaceId);
    expect(answer).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}`, { name: "Secret rename" });
    await settle(client);
    expect(client.events.seen).toEqual([]);
  });

  it("refuses a join without a workspace id, or with a bad afterEventId", async () => {
    const team = await workspaceWithRoles(server.url);
    const client = await live(team.lead);
    expect(await client.request("workspace:join", {})).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    expect(await client.request("workspace:join", "not an object")).toMatchObject({ ok: false });
    expect(await client.join(team.workspaceId, "yesterday")).toMatchObject({ ok: false });
    expect(client.events.seen).toEqual([]);
  });
});

describe("live events", () => {
  it("delivers a member change made through the API to every member, exactly as the audit trail records it", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    const observer = await live(team.observer);
    await lead.join(team.workspaceId);
    await observer.join(team.workspaceId);

    const isRoleChange = (e: LiveEvent) => e.type === "member.role_changed" && e.target.id === team.observer.id;
    const changed = await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}/members/${team.observer.id}`, {
      role: "contributor",
    });
    expect(changed.status).toBe(200);

    const seenByLead = await lead.events.waitFor(isRoleChange);
    const seenByObserver = await observer.events.waitFor(isRoleChange);
    const recorded = (await trail(team)).at(-1);
    expect(seenByLead).toEqual(recorded);
    expect(seenByObserver).toEqual(recorded);
    expect(seenByLead.payload).toMatchObject({ before: "observer", after: "contributor" });
  });

  it("on rejoining after the last seen id, sends only the later events, in id order, without duplicates", async () => {
    const team = await workspaceWithRoles(server.url);
    const first = await live(team.lead);
    await first.join(team.workspaceId);
    const earlier = first.eventsOf(team.workspaceId);
    const lastSeen = earlier.at(-1)!.id;
    first.close();

    // Changes while the client is away.
    const ws = `/api/v1/workspaces/${team.workspaceId}`;
    await team.lead.api.post(`${ws}/invitations`, { role: "observer" });
    await team.lead.api.patch(`${ws}/members/${team.observer.id}`, { role: "contributor" });
    await team.lead.api.patch(ws, { description: "Changed while away" });

    const again = await live(team.lead);
    expect(await again.join(team.workspaceId, lastSeen)).toEqual({ ok: true });
    const replayed = again.eventsOf(team.workspaceId);
    expect(replayed.map((e) => e.type)).toEqual(["invitation.created", "member.role_changed", "workspace.updated"]);
    expect(replayed).toEqual(await trail(team, lastSeen));
    expectStrictIdOrder(replayed);
    const earlierIds = new Set(earlier.map((e) => e.id));
    expect(replayed.filter((e) => earlierIds.has(e.id))).toEqual([]);
    expect(replayed.every((e) => Number(e.id) > Number(lastSeen))).toBe(true);

    // Later changes then arrive live, once each.
    await team.lead.api.patch(ws, { name: "Live again" });
    await again.events.waitFor(
      (e) => e.type === "workspace.updated" && e.payload.after !== undefined && (e.payload.after as { name: string }).name === "Live again",
    );
    await settle(again);
    const all = again.eventsOf(team.workspaceId);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all).toEqual(await trail(team, lastSeen));
  });

  it("accepts the last seen id as a number too", async () => {
    const team = await workspaceWithRoles(server.url);
    const events = await trail(team);
    const client = await live(team.contributor);
    expect(await client.join(team.workspaceId, Number(events[1].id))).toEqual({ ok: true });
    expect(client.eventsOf(team.workspaceId)).toEqual(events.slice(2));
  });

  it("stops a removed member's connections, on every device, from receiving the workspace's events", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    const laptop = await live(team.contributor);
    const tablet = await live(team.contributor);
    for (const client of [lead, laptop, tablet]) expect(await client.join(team.workspaceId)).toEqual({ ok: true });

    const removed = await team.lead.api.delete(`/api/v1/workspaces/${team.workspaceId}/members/${team.contributor.id}`);
    expect(removed.status).toBe(204);
    const removal = await lead.events.waitFor((e) => e.type === "member.removed" && e.target.id === team.contributor.id);

    // A later change in the workspace...
    await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}`, { name: "After the removal" });
    const later = await lead.events.waitFor((e) => e.type === "workspace.updated");
    expect(Number(later.id)).toBeGreaterThan(Number(removal.id));

    // ...does not reach the removed member's connections.
    for (const device of [laptop, tablet]) {
      await settle(device);
      const received = device.eventsOf(team.workspaceId);
      expect(received.some((e) => Number(e.id) > Number(removal.id))).toBe(false);
      expect(received.find((e) => e.type === "workspace.updated")).toBeUndefined();
      // And they cannot join again.
      expect(await device.join(team.workspaceId)).toMatchObject({ ok: false });
    }
  });

  it("stops sending a workspace's events after the client leaves it", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    const observer = await live(team.observer);
    await lead.join(team.workspaceId);
    await observer.join(team.workspaceId);
    expect(await observer.request("workspace:leave", { workspaceId: team.workspaceId })).toEqual({ ok: true });
    const before = observer.eventsOf(team.workspaceId).length;

    await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}`, { name: "While you were away" });
    await lead.events.waitFor((e) => e.type === "workspace.updated");
    await settle(observer);
    expect(observer.eventsOf(team.workspaceId)).toHaveLength(before);
  });
});

describe("presence", () => {
  const lists = (userId: string, resource: string | null) => (message: PresenceMessage) =>
    message.members.some((m) => m.userId === userId && m.resource === resource);

  it("tells everyone in the workspace, the sender included, who is there and what they are looking at", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    const observer = await live(team.observer);
    await lead.join(team.workspaceId);
    await observer.join(team.workspaceId);

    const atProtocol = lists(team.observer.id, "protocol:p-123");
    const leadSees = lead.presence.next(atProtocol);
    const observerSees = observer.presence.next(atProtocol);
    const answer = await observer.request("presence:set", { workspaceId: team.workspaceId, resource: "protocol:p-123" });
    expect(answer).toEqual({ ok: true });

    for (const message of [await leadSees, await observerSees]) {
      expect(message.workspaceId).toBe(team.workspaceId);
      expect(message.members).toContainEqual({ userId: team.observer.id, name: team.observer.name, resource: "protocol:p-123" });
      expect(message.members).toContainEqual(expect.objectContaining({ userId: team.lead.id, name: team.lead.name }));
    }
  });

  it("shows someone who joins the members already there", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    await lead.join(team.workspaceId);
    const contributor = await live(team.contributor);
    const seesLead = contributor.presence.next((m) => m.members.some((x) => x.userId === team.lead.id));
    await contributor.join(team.workspaceId);
    const message = await seesLead;
    expect(message.members.map((m) => m.userId).sort()).toEqual([team.lead.id, team.contributor.id].sort());
  });

  it("shows everyone who joins at the same moment the whole list, however many tabs join together", async () => {
    const team = await workspaceWithRoles(server.url);
    const people = [team.lead, team.contributor, team.observer];
    const tabs = await Promise.all(Array.from({ length: 24 }, (_, i) => live(people[i % people.length])));
    const everyone = people.map((p) => p.id).sort();
    const seesEveryone = tabs.map((tab) =>
      tab.presence.waitFor(
        (m) =>
          m.members
            .map((x) => x.userId)
            .sort()
            .join() === everyone.join(),
      ),
    );
    const answers = await Promise.all(tabs.map((tab) => tab.join(team.workspaceId)));
    expect(answers.every((a) => a.ok)).toBe(true);
    for (const message of await Promise.all(seesEveryone)) expect(message.workspaceId).toBe(team.workspaceId);
  });

  it("refuses presence in a workspace the client has not joined", async () => {
    const team = await workspaceWithRoles(server.url);
    const outsider = await live(team.outsider);
    const answer = await outsider.request("presence:set", { workspaceId: team.workspaceId, resource: "protocol:p-1" });
    expect(answer).toMatchObject({ ok: false, error: { code: expect.any(String) } });
  });

  it("drops a member from the presence list when they disconnect", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    const observer = await live(team.observer);
    await lead.join(team.workspaceId);
    await observer.join(team.workspaceId);
    // Once the lead has seen the observer arrive, no broadcast is pending: the next one comes from the disconnect.
    await lead.presence.waitFor((m) => m.members.some((x) => x.userId === team.observer.id));
    const observerGone = lead.presence.next((m) => !m.members.some((x) => x.userId === team.observer.id));
    observer.close();
    const message = await observerGone;
    expect(message.members.map((m) => m.userId)).toEqual([team.lead.id]);
  });
});

describe("typing", () => {
  interface TypingNotice {
    workspaceId: string;
    target: { type: string; id: string };
    user: { id: string; name: string };
  }
  const heard = (client: LiveClient) => {
    const notices: TypingNotice[] = [];
    client.socket.on("typing", (notice: TypingNotice) => notices.push(notice));
    return notices;
  };

  it("tells the others in the workspace who is typing on what, but not the typist, and not from someone who has not joined", async () => {
    const team = await workspaceWithRoles(server.url);
    const lead = await live(team.lead);
    const observer = await live(team.observer);
    const outsider = await live(team.outsider);
    await lead.join(team.workspaceId);
    await observer.join(team.workspaceId);
    const leadHears = heard(lead);
    const observerHears = heard(observer);
    const target = { type: "study", id: "s-1" };

    observer.socket.emit("typing", { workspaceId: team.workspaceId, target });
    outsider.socket.emit("typing", { workspaceId: team.workspaceId, target: { type: "study", id: "from-outside" } });
    // The server has read both signals once it answers the outsider's next command, and
    // anything relayed to the lead arrives before the lead's next answer.
    await settle(outsider);
    await settle(lead);
    await settle(observer);

    expect(leadHears).toEqual([{ workspaceId: team.workspaceId, target, user: { id: team.observer.id, name: team.observer.name } }]);
    expect(observerHears).toEqual([]);
  });
});

describe("ending credentials ends live connections", () => {
  it("disconnects a socket at once when the token it connected with is revoked", async () => {
    const user = await registerUser(server.url, "Revoking Researcher");
    const client = await live(user);
    const disconnected = new Promise<string>((resolve) => client.socket.once("disconnect", (reason) => resolve(reason)));
    expect((await user.api.delete("/api/v1/auth/token")).status).toBe(204);
    expect(await disconnected).toBe("io server disconnect");
  });

  it("disconnects the sockets of a browser session when the password is changed elsewhere", async () => {
    const user = await registerUser(server.url, "Careful Researcher");
    const cookie = await signInForSessionCookie(server.url, user.email, user.password);
    const browser = await connectLive(server.url, { cookie });
    open.push(browser);
    const script = await live(user);
    const browserDisconnected = new Promise<string>((resolve) => browser.socket.once("disconnect", (r) => resolve(r)));

    const form = new URLSearchParams({ intent: "password", currentPassword: user.password, newPassword: "a brand new password" });
    const changed = await fetch(`${server.url}/settings?index`, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    expect(changed.status).toBe(302);
    expect(changed.headers.getSetCookie().join()).toContain("consilience_session=");
    expect(await browserDisconnected).toBe("io server disconnect");
    // A token is not a session: the script's connection stays.
    expect(script.socket.connected).toBe(true);
  });
});

describe("a flood from one socket", () => {
  it("is refused once the socket passes its message budget, while other sockets carry on", async () => {
    const flooder = await registerUser(server.url, "Flooding Script");
    const client = await live(flooder);
    for (let i = 0; i < 150; i++) client.socket.emit("typing", { workspaceId: "nowhere", target: { type: "study", id: "x" } });
    // Messages are handled in order: by the time this command is read, the budget is spent.
    expect(await client.request("workspace:leave", { workspaceId: "x" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    const calm = await live(await registerUser(server.url, "Calm Researcher"));
    expect(await calm.request("workspace:leave", { workspaceId: "x" })).toEqual({ ok: true });
  });
});
