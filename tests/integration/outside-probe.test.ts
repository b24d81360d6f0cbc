/**
 * What an outsider's probe found, each as it was reported: a form that broke
 * every "new study" form for everyone, stack traces on malformed addresses,
 * links built from the Host header, and mentions that show the label the
 * author typed instead of the member's name.
 */
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { registerUser, signInForSessionCookie, workspaceWithRoles } from "#tests/support/api.ts";
import { startServer, useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const server = useServer();
let team: Team;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

/** A request with a Host header of the sender's choosing (fetch would not send one). */
function requestWithHost(url: string, init: { method: string; host: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(url, { method: init.method, headers: { ...init.headers, host: init.host } }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

describe("the outside probe's findings", () => {
  it("a signed-in stranger's `__proto__` form field leaves the new-study form working for everyone", async () => {
    const stranger = await registerUser(server.url, "Stranger");
    const cookie = await signInForSessionCookie(server.url, stranger.email, stranger.password);
    const probe = await fetch(`${server.url}/workspaces/anything/goals/anything`, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=x&__proto__.arms=x&constructor.prototype.outcomes=x",
      redirect: "manual",
    });
    expect(probe.status).toBeLessThan(500);

    const panel = await team.lead.api.post(`${ws()}/panels`, { name: "Panel", fromDefault: true });
    const leadCookie = await signInForSessionCookie(server.url, team.lead.email, team.lead.password);
    const form = new URLSearchParams({
      title: "A study after the probe",
      panelId: panel.body.id,
      "arms[0].name": "minocycline",
      "arms[0].class": "anti-inflammatory",
      "arms[1].name": "placebo",
      "arms[1].class": "placebo",
    });
    const created = await fetch(`${server.url}/workspaces/${team.workspaceId}/studies`, {
      method: "POST",
      headers: { cookie: leadCookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
    });
    expect(created.status).toBe(302);
    const studies = (await team.lead.api.get(`${ws()}/studies`)).body.items.map((s: { title: string }) => s.title);
    expect(studies).toContain("A study after the probe");
  });

  it("answers a malformed %-escape with our own error, never a stack trace or a server path", async () => {
    for (const path of [
      "/%E0%A4%A",
      "/api/v1/%E0%A4%A",
      "/workspaces/%E0%A4%A",
      "/build/%E0%A4%A",
      "/api/v1/workspaces/%E0%A4%A/studies",
    ]) {
      const response = await fetch(server.url + path);
      const body = await response.text();
      expect(response.status, path).toBe(400);
      expect(body, path).not.toMatch(/node_modules|URIError|\bat \w|\/work\/|\.ts:\d+|\.js:\d+/);
      if (path.startsWith("/api/")) {
        expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
        expect(JSON.parse(body).error.code, path).toBe("bad_request");
      } else {
        expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
        expect(body, path).toContain("Consilience");
      }
      expect(response.headers.get("content-security-policy"), path).toBeTruthy();
    }
  });

  it("builds invitation links and calendar ids on our own origin, whatever Host the request names", async () => {
    const invited = await requestWithHost(`${server.url}${ws()}/invitations`, {
      method: "POST",
      host: "evil.example",
      headers: { authorization: `Bearer ${team.lead.token}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "observer" }),
    });
    expect(invited.status).toBe(201);
    // APP_ORIGIN unset: links name the listening address (the test server listens on 127.0.0.1).
    expect(new URL(JSON.parse(invited.body).url).origin).toBe(new URL(server.url).origin);

    await team.lead.api.post(`${ws()}/goals`, { title: "Baseline visits done", dueDate: "2027-01-15" });
    const calendar = await requestWithHost(`${server.url}${ws()}/goals.ics`, {
      method: "GET",
      host: "evil.example",
      headers: { authorization: `Bearer ${team.lead.token}` },
    });
    expect(calendar.status).toBe(200);
    expect(calendar.body).not.toContain("evil.example");
    expect(calendar.body).toMatch(/UID:goal-\S+@127\.0\.0\.1\r\n/);
  });

  it("uses APP_ORIGIN for links when a host sets it, and refuses to start with a malformed one", async () => {
    const behindProxy = await startServer({ APP_ORIGIN: "https://consilience.example.org" });
    try {
      const lead = await registerUser(behindProxy.url, "Proxy Lead");
      const workspace = await lead.api.post("/api/v1/workspaces", { name: "Behind a proxy" });
      const invited = await lead.api.post(`/api/v1/workspaces/${workspace.body.id}/invitations`, { role: "observer" });
      expect(invited.body.url).toMatch(/^https:\/\/consilience\.example\.org\/invitations\/\S+$/);
    } finally {
      await behindProxy.stop();
    }
    await expect(startServer({ APP_ORIGIN: "consilience.example.org/path" })).rejects.toThrow(
      /APP_ORIGIN: “consilience\.example\.org\/path” is not an origin/,
    );
  });

  it("shows a mention with the member's current name, whatever label the author wrote", async () => {
    const posted = await team.contributor.api.post(`${ws()}/comments`, {
      target: { type: "goal", id: (await team.lead.api.get(`${ws()}/goals`)).body.items[0].id },
      body: `Ask @[Lead](mention:${team.observer.id}) and @[Someone](mention:${team.outsider.id}) and @[Ghost](mention:nosuchuser)`,
    });
    expect(posted.status).toBe(201);
    expect(posted.body.bodyHtml).toContain(`<strong>@${team.observer.name}</strong>`);
    expect(posted.body.bodyHtml).not.toContain("@Lead");
    // The outsider is no member here, and the last id is nobody's.
    expect(posted.body.bodyHtml.match(/<strong>@unknown<\/strong>/g)).toHaveLength(2);
    // The source keeps what the author typed.
    expect(posted.body.body).toContain("@[Lead](mention:");

    await team.observer.api.patch("/api/v1/me", { name: "Dr. Renamed Observer" });
    const listed = await team.lead.api.get(`${ws()}/comments?targetType=goal&targetId=${posted.body.target.id}`);
    expect(listed.body.items[0].bodyHtml).toContain("<strong>@Dr. Renamed Observer</strong>");
  });
});
