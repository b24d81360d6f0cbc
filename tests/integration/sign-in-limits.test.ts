import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, TEST_PASSWORD, type ApiResponse } from "#tests/support/api.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";

const uniqueEmail = (prefix = "probe") => `${prefix}.${randomUUID().slice(0, 8)}@test.example`;

function expectRateLimited(response: ApiResponse) {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe("rate_limited");
  const retryAfter = response.headers.get("retry-after");
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(response.body).not.toHaveProperty("token");
}

describe("sign-in limits per account (five failures per account in 15 minutes)", () => {
  let server: TestServer;
  let anonymous: ApiClient;
  beforeAll(async () => {
    server = await startServer();
    anonymous = new ApiClient(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const attempt = (email: string, password: string) => anonymous.post("/api/v1/auth/token", { email, password });

  it("after five wrong passwords the account is refused with 429 and Retry-After, even with the right password", async () => {
    const user = await registerUser(server.url, "Targeted Account");
    for (let i = 0; i < 5; i++) expect((await attempt(user.email, `wrong guess ${i}`)).status).toBe(401);
    expectRateLimited(await attempt(user.email, "wrong guess 6"));
    expectRateLimited(await attempt(user.email, TEST_PASSWORD));
    // Tokens issued before the lock keep working: the limit is on signing in, not on the account.
    expect((await user.api.get("/api/v1/me")).status).toBe(200);
  });

  it("one locked account does not lock out another", async () => {
    const victim = await registerUser(server.url, "Locked Account");
    const bystander = await registerUser(server.url, "Bystander Account");
    for (let i = 0; i < 6; i++) await attempt(victim.email, "wrong");
    expectRateLimited(await attempt(victim.email, TEST_PASSWORD));
    expect((await attempt(bystander.email, TEST_PASSWORD)).status).toBe(201);
  });

  it("a successful sign-in clears earlier failures", async () => {
    const user = await registerUser(server.url, "Forgetful Typist");
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, "typo")).status).toBe(401);
    expect((await attempt(user.email, TEST_PASSWORD)).status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, "typo")).status).toBe(401);
    expect((await attempt(user.email, TEST_PASSWORD)).status).toBe(201);
  });

  it("limits guesses at unknown emails the same way, so probing does not reveal which accounts exist", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 5; i++) expect((await attempt(email, "guess")).status).toBe(401);
    expectRateLimited(await attempt(email, "guess"));
  });
});

describe("sign-in limits per client address (LOGIN_ATTEMPTS_PER_IP=3)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOGIN_ATTEMPTS_PER_IP: "3" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses the fourth attempt from one address with 429, whichever emails are tried and even with the right password", async () => {
    const anonymous = new ApiClient(server.url);
    const email = uniqueEmail("real");
    // Signing up is not a sign-in attempt.
    expect((await anonymous.post("/api/v1/auth/register", { email, name: "Real Person", password: TEST_PASSWORD })).status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const response = await anonymous.post("/api/v1/auth/token", { email: uniqueEmail(), password: "guess" });
      expect(response.status).toBe(401);
    }
    expectRateLimited(await anonymous.post("/api/v1/auth/token", { email: uniqueEmail(), password: "guess" }));
    expectRateLimited(await anonymous.post("/api/v1/auth/token", { email, password: TEST_PASSWORD }));
  });
});
