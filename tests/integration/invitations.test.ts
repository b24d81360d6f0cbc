import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("invitations", () => {
  const server = useServer();
  let team: Team;
  const invitationsPath = () => `/api/v1/workspaces/${team.workspaceId}/invitations`;
  const invite = (role: string, by = team.lead) => by.api.post(invitationsPath(), { role });
  const accept = (token: string, api: ApiClient) => api.post(`/api/v1/invitations/${encodeURIComponent(token)}/accept`);

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
  });

  it("lets a lead create an invitation link on the server's own origin: 201 {token, url, expiresAt}", async () => {
    const response = await invite("contributor");
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      token: expect.any(String),
      url: expect.any(String),
      expiresAt: expect.stringMatching(ISO_UTC),
    });
    const url = new URL(response.body.url);
    // APP_ORIGIN unset: the listening address (the test server listens on 127.0.0.1).
    expect(url.origin).toBe(new URL(server.url).origin);
    expect(url.pathname).toBe(`/invitations/${response.body.token}`);
    expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it("does not let a contributor or an observer invite (403), nor an outsider (404)", async () => {
    const byContributor = await invite("observer", team.contributor);
    expect(byContributor.status).toBe(403);
    expect(byContributor.body).not.toHaveProperty("token");
    expect((await invite("observer", team.observer)).status).toBe(403);
    expect((await invite("observer", team.outsider)).status).toBe(404);
  });

  it("refuses an invitation for an unknown role with 400 naming the role field", async () => {
    const response = await invite("owner");
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual(expect.objectContaining({ field: "role" }));
  });

  it("makes whoever accepts a member with the invited role", async () => {
    const created = await invite("contributor");
    const newcomer = await registerUser(server.url, "Newcomer");
    const accepted = await accept(created.body.token, newcomer.api);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ workspaceId: team.workspaceId, role: "contributor" });
    const workspace = await newcomer.api.get(`/api/v1/workspaces/${team.workspaceId}`);
    expect(workspace.status).toBe(200);
    expect(workspace.body.role).toBe("contributor");
  });

  it("works only once: a second person using the same link gets 422 and does not join", async () => {
    const created = await invite("observer");
    const first = await registerUser(server.url, "First Taker");
    const second = await registerUser(server.url, "Second Taker");
    expect((await accept(created.body.token, first.api)).status).toBe(200);
    const again = await accept(created.body.token, second.api);
    expect(again.status).toBe(422);
    expect(again.body.error.message).toEqual(expect.any(String));
    expect((await second.api.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(404);
  });

  it("answers 409 to someone who is already a member, and leaves the link usable for someone else", async () => {
    const created = await invite("lead");
    const response = await accept(created.body.token, team.observer.api);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("conflict");
    // Their role did not change...
    expect((await team.observer.api.get(`/api/v1/workspaces/${team.workspaceId}`)).body.role).toBe("observer");
    // ...and the link was not used up.
    const newcomer = await registerUser(server.url, "Rightful Invitee");
    expect((await accept(created.body.token, newcomer.api)).body).toEqual({ workspaceId: team.workspaceId, role: "lead" });
  });

  it("refuses an expired invitation with 422", async () => {
    const created = await invite("observer");
    // Test setup: move the invitation's expiry into the past.
    await server.database.expire("invitations", created.body.id);
    const latecomer = await registerUser(server.url, "Late Invitee");
    const response = await accept(created.body.token, latecomer.api);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/expired/i);
    expect((await latecomer.api.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(404);
  });

  it("answers 404 for a link that does not exist", async () => {
    const stranger = await registerUser(server.url, "Link Guesser");
    const response = await accept("notarealinvitationtoken", stranger.api);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
  });

  it("asks whoever accepts to sign in first (401)", async () => {
    const created = await invite("observer");
    const response = await accept(created.body.token, new ApiClient(server.url));
    expect(response.status).toBe(401);
    // The link still works for a signed-in person.
    const invitee = await registerUser(server.url, "Signed In Invitee");
    expect((await accept(created.body.token, invitee.api)).status).toBe(200);
  });

  it("shows a lead the pending invitations, without their secret tokens", async () => {
    const pending = await invite("contributor");
    const used = await invite("observer");
    await accept(used.body.token, (await registerUser(server.url, "Quick Invitee")).api);

    const listed = await team.lead.api.get(invitationsPath());
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(pending.body.id);
    expect(ids).not.toContain(used.body.id);
    expect(listed.body.items.find((i: { id: string }) => i.id === pending.body.id)).toMatchObject({
      role: "contributor",
      expiresAt: pending.body.expiresAt,
    });
    expect(JSON.stringify(listed.body)).not.toContain(pending.body.token);
  });

  it("lets a lead withdraw an invitation; the withdrawn link is then refused with 422", async () => {
    const created = await invite("contributor");
    const revoked = await team.lead.api.delete(`${invitationsPath()}/${created.body.id}`);
    expect(revoked.status).toBe(204);
    const listed = await team.lead.api.get(invitationsPath());
    expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
    const invitee = await registerUser(server.url, "Uninvited Invitee");
    const response = await accept(created.body.token, invitee.api);
    expect(response.status).toBe(422);
    expect((await invitee.api.get(`/api/v1/workspaces/${team.workspaceId}`)).status).toBe(404);
  });

  it("does not let a contributor see or withdraw pending invitations (403), nor an outsider (404)", async () => {
    const created = await invite("observer");
    expect((await team.contributor.api.get(invitationsPath())).status).toBe(403);
    expect((await team.contributor.api.delete(`${invitationsPath()}/${created.body.id}`)).status).toBe(403);
    expect((await team.outsider.api.get(invitationsPath())).status).toBe(404);
    expect((await team.outsider.api.delete(`${invitationsPath()}/${created.body.id}`)).status).toBe(404);
    // Still valid.
    const invitee = await registerUser(server.url, "Patient Invitee");
    expect((await accept(created.body.token, invitee.api)).status).toBe(200);
  });

  it("answers 404 for withdrawing an invitation that does not exist in this workspace", async () => {
    const response = await team.lead.api.delete(`${invitationsPath()}/nosuchinvitation`);
    expect(response.status).toBe(404);
  });
});
