import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, TEST_PASSWORD } from "#tests/support/api.ts";
import { startServer, type TestServer, useServer } from "#tests/support/server.ts";

const uniqueEmail = (prefix = "researcher") => `${prefix}.${randomUUID().slice(0, 8)}@test.example`;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("accounts and personal access tokens", () => {
  const server = useServer();
  let anonymous: ApiClient;

  beforeAll(async () => {
    anonymous = new ApiClient(server.url);
  });

  describe("signing up", () => {
    it("creates an account and answers 201 with the public user, never the password", async () => {
      const email = uniqueEmail();
      const response = await anonymous.post("/api/v1/auth/register", { email, name: "Ada Researcher", password: TEST_PASSWORD });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ user: { id: expect.any(String), email, name: "Ada Researcher" } });
      expect(JSON.stringify(response.body)).not.toContain(TEST_PASSWORD);
    });

    it("refuses an email that is already taken with 409, whatever its case", async () => {
      const email = uniqueEmail();
      const first = await anonymous.post("/api/v1/auth/register", { email, name: "First", password: TEST_PASSWORD });
      expect(first.status).toBe(201);
      const again = await anonymous.post("/api/v1/auth/register", { email, name: "Second", password: TEST_PASSWORD });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("conflict");
      const shouting = await anonymous.post("/api/v1/auth/register", {
        email: email.toUpperCase(),
        name: "Third",
        password: TEST_PASSWORD,
      });
      expect(shouting.status).toBe(409);
    });

    it("points at the email field when the email is not valid", async () => {
      const response = await anonymous.post("/api/v1/auth/register", { email: "not-an-email", name: "A", password: TEST_PASSWORD });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
      expect(response.body.error.message).toEqual(expect.any(String));
      expect(response.body.error.details).toContainEqual(expect.objectContaining({ field: "email" }));
    });

    it("points at the password field when the password is too short, and creates no account", async () => {
      const email = uniqueEmail();
      const response = await anonymous.post("/api/v1/auth/register", { email, name: "Short", password: "short" });
      expect(response.status).toBe(400);
      expect(response.body.error.details).toContainEqual(expect.objectContaining({ field: "password" }));
      // Nothing was created: the email is still free.
      const retry = await anonymous.post("/api/v1/auth/register", { email, name: "Short", password: TEST_PASSWORD });
      expect(retry.status).toBe(201);
    });

    it("names every missing field at once", async () => {
      const response = await anonymous.post("/api/v1/auth/register", {});
      expect(response.status).toBe(400);
      const fields = response.body.error.details.map((d: { field?: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(["email", "name", "password"]));
    });
  });

  describe("access tokens", () => {
    it("exchanges email and password for a token: 201 {token, expiresAt}", async () => {
      const email = uniqueEmail();
      await anonymous.post("/api/v1/auth/register", { email, name: "Token Holder", password: TEST_PASSWORD });
      const response = await anonymous.post("/api/v1/auth/token", { email, password: TEST_PASSWORD, label: "R laptop" });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ token: expect.any(String), expiresAt: expect.stringMatching(ISO_UTC) });
      expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(Date.now());
    });

    it("answers GET /me for the token's owner", async () => {
      const user = await registerUser(server.url, "Me Myself");
      const me = await user.api.get("/api/v1/me");
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id: user.id, email: user.email, name: "Me Myself" });
    });

    it("refuses a wrong password and an unknown email with the same 401 message", async () => {
      const user = await registerUser(server.url, "Careful Person");
      const wrongPassword = await anonymous.post("/api/v1/auth/token", { email: user.email, password: "not the password" });
      const unknownEmail = await anonymous.post("/api/v1/auth/token", { email: uniqueEmail("nobody"), password: TEST_PASSWORD });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.body.error.code).toBe("unauthorized");
      expect(unknownEmail.body.error).toEqual(wrongPassword.body.error);
      expect(wrongPassword.body.error.message).not.toMatch(/password is wrong|no account|unknown|not found/i);
      expect(wrongPassword.body).not.toHaveProperty("token");
    });

    it("refuses API calls without a token, or with a made-up one, with 401", async () => {
      const none = await anonymous.get("/api/v1/me");
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe("unauthorized");
      const madeUp = await anonymous.withToken("cns_thisisnotarealtoken").get("/api/v1/me");
      expect(madeUp.status).toBe(401);
      const malformed = await anonymous.get("/api/v1/me", { authorization: "Basic dXNlcjpwYXNz" });
      expect(malformed.status).toBe(401);
    });

    it("revokes the token in use with DELETE /auth/token, after which it is refused", async () => {
      const user = await registerUser(server.url, "Leaving Script");
      const revoked = await user.api.delete("/api/v1/auth/token");
      expect(revoked.status).toBe(204);
      expect(revoked.body).toBe("");
      const after = await user.api.get("/api/v1/me");
      expect(after.status).toBe(401);
    });

    it("lists a user's tokens without their secrets and revokes one by id", async () => {
      const user = await registerUser(server.url, "Two Laptops");
      const second = await anonymous.post("/api/v1/auth/token", { email: user.email, password: TEST_PASSWORD, label: "Python box" });
      expect(second.status).toBe(201);
      const secondApi = anonymous.withToken(second.body.token);

      const listed = await user.api.get("/api/v1/me/tokens");
      expect(listed.status).toBe(200);
      expect(listed.body.nextCursor).toBeNull();
      expect(listed.body.items).toHaveLength(2);
      const entry = listed.body.items.find((t: { label: string }) => t.label === "Python box");
      expect(entry).toMatchObject({ id: expect.any(String), expiresAt: expect.stringMatching(ISO_UTC), revokedAt: null });
      expect(JSON.stringify(listed.body)).not.toContain(second.body.token);
      expect(JSON.stringify(listed.body)).not.toContain(user.token);

      const revoked = await user.api.delete(`/api/v1/me/tokens/${entry.id}`);
      expect(revoked.status).toBe(204);
      expect((await secondApi.get("/api/v1/me")).status).toBe(401);
      // The token used to revoke the other one keeps working.
      expect((await user.api.get("/api/v1/me")).status).toBe(200);

      const relisted = await user.api.get("/api/v1/me/tokens");
      const after = relisted.body.items.find((t: { id: string }) => t.id === entry.id);
      expect(after.revokedAt).toMatch(ISO_UTC);
    });

    it("cannot revoke someone else's token (404), which keeps working", async () => {
      const owner = await registerUser(server.url, "Token Owner");
      const stranger = await registerUser(server.url, "Token Stranger");
      const ownerTokens = await owner.api.get("/api/v1/me/tokens");
      const tokenId = ownerTokens.body.items[0].id;
      const attempt = await stranger.api.delete(`/api/v1/me/tokens/${tokenId}`);
      expect(attempt.status).toBe(404);
      expect((await owner.api.get("/api/v1/me")).status).toBe(200);
    });

    it("refuses an expired token with 401", async () => {
      const user = await registerUser(server.url, "Expiring Script");
      const issued = await anonymous.post("/api/v1/auth/token", { email: user.email, password: TEST_PASSWORD, label: "short-lived" });
      const api = anonymous.withToken(issued.body.token);
      expect((await api.get("/api/v1/me")).status).toBe(200);

      // Test setup: move the token's expiry into the past.
      await server.database.expire("access_tokens", issued.body.id);
      const expired = await api.get("/api/v1/me");
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe("unauthorized");
      // The user's other token is unaffected.
      expect((await user.api.get("/api/v1/me")).status).toBe(200);
    });
  });

  describe("when the server runs with registration closed", () => {
    let closed: TestServer;
    beforeAll(async () => {
      closed = await startServer({ REGISTRATION: "closed" });
    });
    afterAll(async () => {
      await closed?.stop();
    });

    it("refuses sign-ups with 403 and creates no account", async () => {
      const api = new ApiClient(closed.url);
      const email = uniqueEmail("closed");
      const response = await api.post("/api/v1/auth/register", { email, name: "Latecomer", password: TEST_PASSWORD });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe("forbidden");
      expect(response.body.error.message).toEqual(expect.any(String));
      const signIn = await api.post("/api/v1/auth/token", { email, password: TEST_PASSWORD });
      expect(signIn.status).toBe(401);
    });
  });
});
