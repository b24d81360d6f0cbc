/**
 * How long a sign-in lasts and what ends it: an idle session and an old one
 * expire, signing out ends the session and its live connections, a password
 * change ends the other sessions, and removal ends a member's access.
 * Session times are moved in the database as test setup.
 */
import { describe, expect, it } from "vitest";
import { ApiClient, registerUser, signInForSessionCookie, workspaceWithRoles, type TestUser } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";
import { connectLive, handshake, openSocket } from "#tests/support/socket.ts";

const DAY = 24 * 60 * 60 * 1000;

const server = useServer();

/** An API client that authenticates with a browser session cookie (and our Origin, as a browser sends it). */
function asBrowser(cookie: string) {
  const api = new ApiClient(server.url);
  const request = api.request.bind(api);
  api.request = (method, path, body, headers = {}) => request(method, path, body, { cookie, origin: server.url, ...headers });
  return api;
}

/** A person's sessions, their times in milliseconds since the epoch. */
const sessionRows = (userId: string) =>
  server.database.query<{ id: string; createdAt: number; expiresAt: number }>(
    'SELECT id, created_at AS "createdAt", expires_at AS "expiresAt" FROM sessions WHERE user_id = ? ORDER BY created_at',
    [userId],
  );

async function setSessionTimes(userId: string, times: { createdAt?: number; expiresAt?: number }) {
  const db = server.database;
  if (times.createdAt !== undefined)
    await db.query("UPDATE sessions SET created_at = ? WHERE user_id = ?", [new Date(times.createdAt), userId]);
  if (times.expiresAt !== undefined)
    await db.query("UPDATE sessions SET expires_at = ? WHERE user_id = ?", [new Date(times.expiresAt), userId]);
}

async function signedIn(name: string): Promise<{ user: TestUser; cookie: string; api: ApiClient }> {
  const user = await registerUser(server.url, name);
  const cookie = await signInForSessionCookie(server.url, user.email, user.password);
  return { user, cookie, api: asBrowser(cookie) };
}

describe("session lifetimes", () => {
  it("a session unused for 30 days has ended", async () => {
    const { user, api } = await signedIn("Idle Researcher");
    expect((await api.get("/api/v1/me")).status).toBe(200);
    await setSessionTimes(user.id, { expiresAt: Date.now() - 1000 });
    const refused = await api.get("/api/v1/me");
    expect(refused.status).toBe(401);
    expect(await sessionRows(user.id)).toEqual([]);
  });

  it("a session in use is renewed, but never past 60 days after signing in", async () => {
    const { user, api } = await signedIn("Busy Researcher");
    const createdAt = Date.now() - 59 * DAY;
    await setSessionTimes(user.id, { createdAt, expiresAt: Date.now() + DAY });
    expect((await api.get("/api/v1/me")).status).toBe(200);
    const [renewed] = await sessionRows(user.id);
    expect(renewed.expiresAt).toBeGreaterThan(Date.now() + DAY - 60_000);
    expect(renewed.expiresAt).toBeLessThanOrEqual(createdAt + 60 * DAY);
  });

  it("a session signed in 60 days ago has ended, however recently it was used", async () => {
    const { user, api } = await signedIn("Long-signed-in Researcher");
    await setSessionTimes(user.id, { createdAt: Date.now() - 60 * DAY - 1000, expiresAt: Date.now() + 20 * DAY });
    expect((await api.get("/api/v1/me")).status).toBe(401);
    const page = await fetch(`${server.url}/workspaces`, { headers: { cookie: (await asBrowserCookie(user)) ?? "" }, redirect: "manual" });
    expect(page.status).toBe(200);
  });
});

/** A fresh sign-in still works after the old session expired. */
async function asBrowserCookie(user: TestUser) {
  return signInForSessionCookie(server.url, user.email, user.password);
}

describe("ending a session", () => {
  it("signing out ends the session and its live connections, and only that session", async () => {
    const { user, cookie, api } = await signedIn("Leaving Researcher");
    const otherCookie = await signInForSessionCookie(server.url, user.email, user.password);
    const socket = await connectLive(server.url, { cookie });
    const otherSocket = await connectLive(server.url, { cookie: otherCookie });
    const closed = new Promise<string>((resolve) => socket.socket.once("disconnect", (reason) => resolve(reason)));

    const out = await fetch(`${server.url}/logout`, { method: "POST", headers: { cookie, origin: server.url }, redirect: "manual" });
    expect(out.status).toBe(302);
    expect(out.headers.getSetCookie().join()).toMatch(/consilience_session=;/);
    expect((await api.get("/api/v1/me")).status).toBe(401);
    expect(await closed).toBe("io server disconnect");
    // The old cookie cannot open a new live connection either.
    const again = await handshake(openSocket(server.url, { extraHeaders: { cookie } }));
    expect(again.connected).toBe(false);

    // The same person's other browser is unaffected.
    expect((await asBrowser(otherCookie).get("/api/v1/me")).status).toBe(200);
    expect(otherSocket.socket.connected).toBe(true);
    otherSocket.close();
  });

  it("changing the password ends every other session of the person, and keeps them signed in where they changed it", async () => {
    const { user, cookie } = await signedIn("Careful Researcher");
    const laptop = await signInForSessionCookie(server.url, user.email, user.password);
    const phone = await signInForSessionCookie(server.url, user.email, user.password);
    expect(await sessionRows(user.id)).toHaveLength(3);

    const form = new URLSearchParams({ intent: "password", currentPassword: user.password, newPassword: "an entirely new password" });
    const changed = await fetch(`${server.url}/settings?index`, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    expect(changed.status).toBe(302);
    const fresh = changed.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .find((c) => c.startsWith("consilience_session="))!;

    for (const old of [cookie, laptop, phone]) expect((await asBrowser(old).get("/api/v1/me")).status).toBe(401);
    expect((await asBrowser(fresh).get("/api/v1/me")).status).toBe(200);
    expect(await sessionRows(user.id)).toHaveLength(1);
    // The old password no longer signs in; the new one does.
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.post("/api/v1/auth/token", { email: user.email, password: user.password })).status).toBe(401);
    expect((await anonymous.post("/api/v1/auth/token", { email: user.email, password: "an entirely new password" })).status).toBe(201);
  });

  it("removal from a workspace ends the member's access through pages, the API and the live channel, while signed in", async () => {
    const team = await workspaceWithRoles(server.url);
    const cookie = await signInForSessionCookie(server.url, team.contributor.email, team.contributor.password);
    const browser = asBrowser(cookie);
    const live = await connectLive(server.url, { cookie });
    expect(await live.join(team.workspaceId)).toEqual({ ok: true });
    expect((await browser.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(200);

    expect((await team.lead.api.delete(`/api/v1/workspaces/${team.workspaceId}/members/${team.contributor.id}`)).status).toBe(204);

    expect((await browser.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(404);
    expect((await browser.post(`/api/v1/workspaces/${team.workspaceId}/studies`, { title: "After removal" })).status).toBe(404);
    expect((await team.contributor.api.get(`/api/v1/workspaces/${team.workspaceId}/events`)).status).toBe(404);
    const page = await fetch(`${server.url}/workspaces/${team.workspaceId}`, { headers: { cookie } });
    expect(page.status).toBe(404);
    // The live channel stops at once, and a new join is refused.
    const rename = live.events.next((e) => e.type === "workspace.updated");
    await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}`, { name: "Renamed after removal" });
    const heard = await Promise.race([rename.then(() => true), live.request("workspace:leave", { workspaceId: "x" }).then(() => false)]);
    expect(heard).toBe(false);
    expect(await live.join(team.workspaceId)).toMatchObject({ ok: false });
    // Being signed in goes on: the removal is from the workspace, not from the service.
    expect((await browser.get("/api/v1/me")).status).toBe(200);
    live.close();
  });
});
