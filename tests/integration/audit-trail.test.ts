import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles, type ApiResponse, type TestUser } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;
interface ApiEvent {
  id: string;
  workspaceId: string;
  type: string;
  actor: { id: string; name: string };
  target: { type: string; id: string };
  payload: Record<string, unknown>;
  createdAt: string;
}
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const server = useServer();

const eventsPath = (team: Team, query = "") => `/api/v1/workspaces/${team.workspaceId}/events${query}`;

/** The whole trail through the API, following nextCursor. */
async function allEvents(team: Team, as: TestUser = team.lead): Promise<ApiEvent[]> {
  const items: ApiEvent[] = [];
  let after = "0";
  for (;;) {
    const page = await as.api.get(eventsPath(team, `?after=${after}&limit=1000`));
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    if (page.body.nextCursor === null) return items;
    after = page.body.nextCursor;
  }
}

function expectIdOrder(events: ApiEvent[]) {
  const ids = events.map((e) => Number(e.id));
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
}

describe("the audit trail", () => {
  let team: Team;
  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
  });

  it("lists a workspace's events oldest first, each in the documented shape", async () => {
    const response = await team.observer.api.get(eventsPath(team));
    expect(response.status).toBe(200);
    const items: ApiEvent[] = response.body.items;
    expect(items.map((e) => e.type)).toEqual([
      "workspace.created",
      "invitation.created",
      "member.joined",
      "invitation.created",
      "member.joined",
    ]);
    expectIdOrder(items);
    for (const event of items) {
      expect(event).toEqual({
        id: expect.stringMatching(/^\d+$/),
        workspaceId: team.workspaceId,
        type: expect.any(String),
        actor: { id: expect.any(String), name: expect.any(String) },
        target: { type: expect.any(String), id: expect.any(String) },
        payload: expect.any(Object),
        createdAt: expect.stringMatching(ISO_UTC),
      });
    }
    expect(items[0]).toMatchObject({
      actor: { id: team.lead.id, name: team.lead.name },
      target: { type: "workspace", id: team.workspaceId },
      payload: { name: "Test consortium" },
    });
    expect(items[2]).toMatchObject({
      type: "member.joined",
      actor: { id: team.contributor.id, name: team.contributor.name },
      target: { type: "user", id: team.contributor.id },
      payload: { role: "contributor" },
    });
    expect(response.body.nextCursor).toBeNull();
  });

  it("keeps account-level events (sign-ups, tokens) out of every workspace's trail", async () => {
    const types = (await allEvents(team)).map((e) => e.type);
    expect(types.some((t) => t.startsWith("user.") || t.startsWith("token."))).toBe(false);
  });

  it("pages through the trail with limit, following nextCursor to the end", async () => {
    const everything = await allEvents(team);
    const paged: ApiEvent[] = [];
    let cursor: string | null = "0";
    let pages = 0;
    while (cursor !== null) {
      const page: ApiResponse = await team.contributor.api.get(eventsPath(team, `?after=${cursor}&limit=2`));
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      if (page.body.nextCursor !== null) {
        expect(typeof page.body.nextCursor).toBe("string");
        expect(page.body.nextCursor).toBe(page.body.items.at(-1).id);
      }
      paged.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    }
    expect(pages).toBe(Math.ceil(everything.length / 2));
    expect(paged).toEqual(everything);
  });

  it("answers only the events after the given id", async () => {
    const everything = await allEvents(team);
    const middle = everything[2].id;
    const response = await team.lead.api.get(eventsPath(team, `?after=${middle}`));
    expect(response.body.items).toEqual(everything.slice(3));
    const atEnd = await team.lead.api.get(eventsPath(team, `?after=${everything.at(-1)!.id}`));
    expect(atEnd.body).toEqual({ items: [], nextCursor: null });
  });

  it("records a role change with the role before and after", async () => {
    const fresh = await workspaceWithRoles(server.url);
    await fresh.lead.api.patch(`/api/v1/workspaces/${fresh.workspaceId}/members/${fresh.observer.id}`, { role: "contributor" });
    const last = (await allEvents(fresh)).at(-1)!;
    expect(last).toMatchObject({
      type: "member.role_changed",
      actor: { id: fresh.lead.id, name: fresh.lead.name },
      target: { type: "user", id: fresh.observer.id },
      payload: { before: "observer", after: "contributor" },
    });
  });

  it("records a removal and a settings change with who did it", async () => {
    const fresh = await workspaceWithRoles(server.url);
    await fresh.lead.api.delete(`/api/v1/workspaces/${fresh.workspaceId}/members/${fresh.contributor.id}`);
    await fresh.lead.api.patch(`/api/v1/workspaces/${fresh.workspaceId}`, { name: "Renamed" });
    const [removed, updated] = (await allEvents(fresh)).slice(-2);
    expect(removed).toMatchObject({
      type: "member.removed",
      actor: { id: fresh.lead.id },
      target: { type: "user", id: fresh.contributor.id },
      payload: { role: "contributor" },
    });
    expect(updated).toMatchObject({
      type: "workspace.updated",
      payload: { before: { name: "Test consortium" }, after: { name: "Renamed" } },
    });
  });

  it("shows the trail to every member but not to an outsider (404)", async () => {
    for (const member of [team.lead, team.contributor, team.observer]) {
      expect((await member.api.get(eventsPath(team))).status).toBe(200);
    }
    const outsider = await team.outsider.api.get(eventsPath(team));
    expect(outsider.status).toBe(404);
    expect(outsider.body).not.toHaveProperty("items");
  });

  it("refuses a bad after or limit with 400", async () => {
    for (const query of ["?limit=0", "?limit=abc", "?limit=5000", "?after=-1", "?after=later"]) {
      const response = await team.lead.api.get(eventsPath(team, query));
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
    }
  });
});

describe("exporting the audit trail as CSV", () => {
  let team: Team;
  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
  });

  it("answers text/csv with a header row and every event, and records the export as an event", async () => {
    const before = await allEvents(team);
    const response = await fetch(`${server.url}/api/v1/workspaces/${team.workspaceId}/events.csv`, {
      headers: { authorization: `Bearer ${team.observer.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".*\.csv"$/);
    const lines = (await response.text()).trim().split(/\r?\n/);
    expect(lines[0].split(",")).toEqual(expect.arrayContaining(["id", "type", "actor_name", "target_type", "target_id"]));
    const rowIds = lines.slice(1).map((line) => line.split(",")[0]);
    for (const event of before) expect(rowIds).toContain(event.id);
    expect(lines.slice(1).some((line) => line.includes("member.joined") && line.includes(team.contributor.name))).toBe(true);

    const after = await allEvents(team);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    const exported = after.at(-1)!;
    expect(exported).toMatchObject({
      type: "audit.exported",
      actor: { id: team.observer.id, name: team.observer.name },
      target: { type: "workspace", id: team.workspaceId },
    });
    // The file includes the record of its own export.
    expect(rowIds).toContain(exported.id);
  });

  it("does not let an outsider export (404), and records nothing", async () => {
    const before = await allEvents(team);
    const response = await team.outsider.api.get(`/api/v1/workspaces/${team.workspaceId}/events.csv`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/json/);
    expect(await allEvents(team)).toEqual(before);
  });
});

describe("a rejected request changes nothing", () => {
  it("leaves the trail, the members and the invitations as they were after refused invitations and role changes", async () => {
    const team = await workspaceWithRoles(server.url);
    const ws = `/api/v1/workspaces/${team.workspaceId}`;
    const trail = await allEvents(team);
    const members = (await team.lead.api.get(`${ws}/members`)).body;
    const allEventRows = await server.database.count("events");
    const invitationRows = await server.database.count("invitations");

    const refused = [
      await team.lead.api.post(`${ws}/invitations`, { role: "superuser" }),
      await team.lead.api.post(`${ws}/invitations`, "{not json", { "content-type": "application/json" }),
      await team.observer.api.post(`${ws}/invitations`, { role: "observer" }),
      await team.contributor.api.post(`${ws}/invitations`, { role: "lead" }),
      await team.outsider.api.post(`${ws}/invitations`, { role: "lead" }),
      await team.lead.api.patch(`${ws}/members/${team.observer.id}`, { role: "boss" }),
      await team.contributor.api.patch(`${ws}/members/${team.contributor.id}`, { role: "lead" }),
      await team.lead.api.patch(`${ws}/members/${team.lead.id}`, { role: "observer" }),
      await team.lead.api.delete(`${ws}/members/${team.lead.id}`),
      await team.observer.api.delete(`${ws}/members/${team.contributor.id}`),
      await team.lead.api.patch(ws, { name: "" }),
      await team.outsider.api.get(`${ws}/events.csv`),
      await team.outsider.api.post(`/api/v1/invitations/notarealtoken/accept`),
    ];
    for (const response of refused) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }

    expect(await allEvents(team)).toEqual(trail);
    expect((await team.lead.api.get(`${ws}/members`)).body).toEqual(members);
    expect(await server.database.count("events")).toBe(allEventRows);
    expect(await server.database.count("invitations")).toBe(invitationRows);
    expect((await team.lead.api.get(ws)).body.name).toBe("Test consortium");
  });
});

describe("the events table", () => {
  it("is append-only: the database itself refuses to change or delete an event", async () => {
    const team = await workspaceWithRoles(server.url);
    const trail = await allEvents(team);
    const target = Number(trail[0].id);
    const db = server.database;
    await expect(db.query("UPDATE events SET type = 'workspace.hidden' WHERE id = ?", [target])).rejects.toThrow(/append-only/);
    await expect(db.query("DELETE FROM events WHERE id = ?", [target])).rejects.toThrow(/append-only/);
    await expect(db.query("DELETE FROM events")).rejects.toThrow(/append-only/);
    expect(await allEvents(team)).toEqual(trail);
  });
});
