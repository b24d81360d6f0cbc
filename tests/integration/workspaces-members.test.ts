import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const server = useServer();

describe("workspaces", () => {
  let team: Team;
  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
  });

  it("creating a workspace answers 201 with the workspace and the creator as its lead", async () => {
    const user = await registerUser(server.url, "Founding Lead");
    const response = await user.api.post("/api/v1/workspaces", { name: "  IMD consortium  ", description: "Immuno-metabolic depression" });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      name: "IMD consortium",
      description: "Immuno-metabolic depression",
      role: "lead",
    });
    const read = await user.api.get(`/api/v1/workspaces/${response.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(response.body);
  });

  it("gives a workspace created without a description an empty one", async () => {
    const user = await registerUser(server.url, "Terse Lead");
    const response = await user.api.post("/api/v1/workspaces", { name: "Terse" });
    expect(response.status).toBe(201);
    expect(response.body.description).toBe("");
  });

  it("refuses a workspace without a name with 400 naming the field, and creates nothing", async () => {
    const user = await registerUser(server.url, "Nameless Lead");
    const response = await user.api.post("/api/v1/workspaces", { name: "   " });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual(expect.objectContaining({ field: "name" }));
    expect((await user.api.get("/api/v1/workspaces")).body.items).toEqual([]);
  });

  it("lists only the caller's own workspaces, each with the caller's role", async () => {
    const leadList = await team.lead.api.get("/api/v1/workspaces");
    expect(leadList.status).toBe(200);
    expect(leadList.body).toEqual({
      items: [expect.objectContaining({ id: team.workspaceId, name: "Test consortium", role: "lead" })],
      nextCursor: null,
    });
    const observerList = await team.observer.api.get("/api/v1/workspaces");
    expect(observerList.body.items).toEqual([expect.objectContaining({ id: team.workspaceId, role: "observer" })]);
    const outsiderList = await team.outsider.api.get("/api/v1/workspaces");
    expect(outsiderList.body).toEqual({ items: [], nextCursor: null });
  });

  it("shows each member the workspace with their own role", async () => {
    for (const [member, role] of [
      [team.lead, "lead"],
      [team.contributor, "contributor"],
      [team.observer, "observer"],
    ] as const) {
      const response = await member.api.get(`/api/v1/workspaces/${team.workspaceId}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: team.workspaceId, role });
    }
  });

  it("answers a non-member with 404, the same as for a workspace that does not exist", async () => {
    const hidden = await team.outsider.api.get(`/api/v1/workspaces/${team.workspaceId}`);
    const missing = await team.outsider.api.get("/api/v1/workspaces/doesnotexist0000");
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect(JSON.stringify(hidden.body)).not.toContain("Test consortium");
  });

  it("refuses callers without credentials with 401", async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get("/api/v1/workspaces")).status).toBe(401);
    expect((await anonymous.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(401);
    expect((await anonymous.post("/api/v1/workspaces", { name: "Sneaky" })).status).toBe(401);
  });

  it("lets a lead rename the workspace and change its description", async () => {
    const { lead, workspaceId, observer } = await workspaceWithRoles(server.url);
    const renamed = await lead.api.patch(`/api/v1/workspaces/${workspaceId}`, { name: "Renamed consortium" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: workspaceId, name: "Renamed consortium", description: "", role: "lead" });
    const described = await lead.api.patch(`/api/v1/workspaces/${workspaceId}`, { description: "Now with a description" });
    expect(described.body).toMatchObject({ name: "Renamed consortium", description: "Now with a description" });
    expect((await observer.api.get(`/api/v1/workspaces/${workspaceId}`)).body).toMatchObject({
      name: "Renamed consortium",
      description: "Now with a description",
      role: "observer",
    });
  });

  it("keeps the description when a lead only renames the workspace, and the name when only the description changes", async () => {
    const user = await registerUser(server.url, "Tidy Lead");
    const created = await user.api.post("/api/v1/workspaces", { name: "Before", description: "Keep me" });
    const path = `/api/v1/workspaces/${created.body.id}`;
    const renamed = await user.api.patch(path, { name: "After" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "After", description: "Keep me" });
    const described = await user.api.patch(path, { description: "" });
    expect(described.body).toMatchObject({ name: "After", description: "" });
    expect((await user.api.get(path)).body).toMatchObject({ name: "After", description: "" });
  });

  it("does not let a contributor or an observer change the settings (403), nor an outsider (404)", async () => {
    const path = `/api/v1/workspaces/${team.workspaceId}`;
    const byContributor = await team.contributor.api.patch(path, { name: "Hijacked" });
    expect(byContributor.status).toBe(403);
    expect(byContributor.body.error.code).toBe("forbidden");
    expect((await team.observer.api.patch(path, { name: "Hijacked" })).status).toBe(403);
    expect((await team.outsider.api.patch(path, { name: "Hijacked" })).status).toBe(404);
    expect((await team.lead.api.get(path)).body.name).toBe("Test consortium");
  });

  it("refuses a settings change that changes nothing with 400", async () => {
    const response = await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}`, {});
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_failed");
  });
});

describe("members", () => {
  const membersPath = (team: Team) => `/api/v1/workspaces/${team.workspaceId}/members`;
  const memberPath = (team: Team, userId: string) => `/api/v1/workspaces/${team.workspaceId}/members/${userId}`;

  it("lets every member list the members, each with the right role", async () => {
    const team = await workspaceWithRoles(server.url);
    const expected = [
      { userId: team.lead.id, name: team.lead.name, email: team.lead.email, role: "lead" },
      { userId: team.contributor.id, name: team.contributor.name, email: team.contributor.email, role: "contributor" },
      { userId: team.observer.id, name: team.observer.name, email: team.observer.email, role: "observer" },
    ];
    for (const member of [team.lead, team.contributor, team.observer]) {
      const response = await member.api.get(membersPath(team));
      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(3);
      expect(response.body.items).toEqual(expect.arrayContaining(expected.map((m) => expect.objectContaining(m))));
    }
  });

  it("does not show the member list to an outsider (404)", async () => {
    const team = await workspaceWithRoles(server.url);
    const response = await team.outsider.api.get(membersPath(team));
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toContain(team.lead.email);
  });

  it("lets a lead change a member's role", async () => {
    const team = await workspaceWithRoles(server.url);
    const response = await team.lead.api.patch(memberPath(team, team.observer.id), { role: "contributor" });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: team.observer.id, role: "contributor" });
    const seenByThem = await team.observer.api.get(`/api/v1/workspaces/${team.workspaceId}`);
    expect(seenByThem.body.role).toBe("contributor");
    const listed = await team.lead.api.get(membersPath(team));
    expect(listed.body.items.find((m: { userId: string }) => m.userId === team.observer.id).role).toBe("contributor");
  });

  it("does not let contributors or observers change roles (403), nor outsiders (404)", async () => {
    const team = await workspaceWithRoles(server.url);
    const promoteSelf = await team.contributor.api.patch(memberPath(team, team.contributor.id), { role: "lead" });
    expect(promoteSelf.status).toBe(403);
    const demoteLead = await team.observer.api.patch(memberPath(team, team.lead.id), { role: "observer" });
    expect(demoteLead.status).toBe(403);
    const fromOutside = await team.outsider.api.patch(memberPath(team, team.observer.id), { role: "lead" });
    expect(fromOutside.status).toBe(404);
    const roles = (await team.lead.api.get(membersPath(team))).body.items.map((m: { role: string }) => m.role).sort();
    expect(roles).toEqual(["contributor", "lead", "observer"]);
  });

  it("refuses an unknown role with 400 naming the role field", async () => {
    const team = await workspaceWithRoles(server.url);
    for (const body of [{ role: "admin" }, { role: "" }, {}]) {
      const response = await team.lead.api.patch(memberPath(team, team.observer.id), body);
      expect(response.status).toBe(400);
      expect(response.body.error.details).toContainEqual(expect.objectContaining({ field: "role" }));
    }
  });

  it("tells a non-lead they may not change roles before judging what they sent", async () => {
    const team = await workspaceWithRoles(server.url);
    const bogus = await team.observer.api.patch(memberPath(team, team.contributor.id), { role: "admin" });
    expect(bogus.status).toBe(403);
    const invite = await team.contributor.api.post(`/api/v1/workspaces/${team.workspaceId}/invitations`, { role: "admin" });
    expect(invite.status).toBe(403);
    const settings = await team.contributor.api.patch(`/api/v1/workspaces/${team.workspaceId}`, {});
    expect(settings.status).toBe(403);
  });

  it("answers 404 for changing or removing someone who is not a member", async () => {
    const team = await workspaceWithRoles(server.url);
    expect((await team.lead.api.patch(memberPath(team, team.outsider.id), { role: "observer" })).status).toBe(404);
    expect((await team.lead.api.delete(memberPath(team, team.outsider.id))).status).toBe(404);
  });

  it("keeps at least one lead: the last lead can neither step down nor be removed (422)", async () => {
    const team = await workspaceWithRoles(server.url);
    const stepDown = await team.lead.api.patch(memberPath(team, team.lead.id), { role: "contributor" });
    expect(stepDown.status).toBe(422);
    expect(stepDown.body.error.message).toMatch(/lead/);
    const leave = await team.lead.api.delete(memberPath(team, team.lead.id));
    expect(leave.status).toBe(422);
    expect((await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}`)).body.role).toBe("lead");
  });

  it("lets a lead step down once another member is a lead", async () => {
    const team = await workspaceWithRoles(server.url);
    expect((await team.lead.api.patch(memberPath(team, team.contributor.id), { role: "lead" })).status).toBe(200);
    const stepDown = await team.lead.api.patch(memberPath(team, team.lead.id), { role: "contributor" });
    expect(stepDown.status).toBe(200);
    expect(stepDown.body.role).toBe("contributor");
    // The former lead can no longer manage members.
    expect((await team.lead.api.patch(memberPath(team, team.observer.id), { role: "contributor" })).status).toBe(403);
    // And the new lead is now the last one.
    expect((await team.contributor.api.delete(memberPath(team, team.contributor.id))).status).toBe(422);
  });

  it("lets a lead remove a member (204), who then cannot see the workspace any more (404)", async () => {
    const team = await workspaceWithRoles(server.url);
    const removed = await team.lead.api.delete(memberPath(team, team.contributor.id));
    expect(removed.status).toBe(204);
    expect((await team.contributor.api.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(404);
    expect((await team.contributor.api.get(membersPath(team))).status).toBe(404);
    expect((await team.contributor.api.get("/api/v1/workspaces")).body.items).toEqual([]);
    const remaining = (await team.lead.api.get(membersPath(team))).body.items.map((m: { userId: string }) => m.userId);
    expect(remaining).not.toContain(team.contributor.id);
    expect(remaining).toHaveLength(2);
  });

  it("does not let a contributor or an observer remove members (403)", async () => {
    const team = await workspaceWithRoles(server.url);
    expect((await team.contributor.api.delete(memberPath(team, team.observer.id))).status).toBe(403);
    expect((await team.observer.api.delete(memberPath(team, team.contributor.id))).status).toBe(403);
    expect((await team.outsider.api.delete(memberPath(team, team.observer.id))).status).toBe(404);
    expect((await team.lead.api.get(membersPath(team))).body.items).toHaveLength(3);
  });
});
