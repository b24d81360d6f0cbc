/**
 * Password guessing against one account, as an attacker would try it: many
 * guesses at once from one address. The per-account budget holds under
 * concurrency, a colleague signing in from the same address (same office,
 * same NAT) still gets in, and no answer tells whether an email has an account.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "#app/services/rate-limit.server.ts";
import { ApiClient, registerUser, TEST_PASSWORD, type ApiResponse } from "#tests/support/api.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";

const GUESSES = 50;

let server: TestServer;
let anonymous: ApiClient;
beforeAll(async () => {
  // The defaults, as in production, except the per-address budget (tests share one address).
  server = await startServer();
  anonymous = new ApiClient(server.url);
});
afterAll(async () => {
  await server?.stop();
});

const attempt = (email: string, password: string) => anonymous.post("/api/v1/auth/token", { email, password });
const signInPage = (email: string, password: string) =>
  fetch(`${server.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: "manual",
  });

/** The message shown next to the sign-in form, without the markup around it. */
async function formMessage(response: Response): Promise<string> {
  const html = await response.text();
  return (
    /role="alert"[^>]*>([^<]*)</.exec(html)?.[1] ?? /Email or password is incorrect\.|Too many sign-in attempts[^<]*/.exec(html)?.[0] ?? ""
  );
}

describe(`${GUESSES} password guesses at one account, all at once`, () => {
  it("are judged only up to the account's budget; the rest are refused unchecked, even the right password", async () => {
    const victim = await registerUser(server.url, "Targeted Researcher");
    const colleague = await registerUser(server.url, "Colleague Same Office");
    const answers: ApiResponse[] = await Promise.all([
      ...Array.from({ length: GUESSES }, (_, i) => attempt(victim.email, `guess number ${i}`)),
    ]);
    // Meanwhile, from the same address, a colleague signs in to their own account.
    const colleagueSignIn = await attempt(colleague.email, TEST_PASSWORD);

    const judged = answers.filter((a) => a.status === 401).length;
    const limited = answers.filter((a) => a.status === 429).length;
    expect(judged + limited).toBe(GUESSES);
    expect(judged).toBeLessThanOrEqual(SIGN_IN_LIMITS.failuresPerAccount);
    for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await attempt(victim.email, TEST_PASSWORD)).status).toBe(429);
    expect(colleagueSignIn.status).toBe(201);

    console.log(
      `figure sign-in: ${GUESSES} simultaneous guesses → ${judged} checked, ${limited} refused (429); ` +
        `colleague from the same address: ${colleagueSignIn.status}`,
    );
  });
});

describe("answers that do not reveal whether an account exists", () => {
  it("a wrong password and an unknown email get the same answer, through the API and the sign-in page", async () => {
    const user = await registerUser(server.url, "Existing Researcher");
    const unknown = `nobody.${randomUUID().slice(0, 8)}@test.example`;
    const known = await attempt(user.email, "not the password");
    const missing = await attempt(unknown, "not the password");
    expect(known.status).toBe(401);
    expect({ status: missing.status, body: missing.body }).toEqual({ status: known.status, body: known.body });

    const knownPage = await signInPage(user.email, "not the password");
    const missingPage = await signInPage(unknown, "not the password");
    expect(knownPage.status).toBe(missingPage.status);
    const message = await formMessage(knownPage);
    expect(message).toContain("Email or password is incorrect.");
    expect(await formMessage(missingPage)).toBe(message);
  });

  it("a locked account and a locked unknown email get the same refusal", async () => {
    const user = await registerUser(server.url, "Locked Researcher");
    const unknown = `ghost.${randomUUID().slice(0, 8)}@test.example`;
    for (let i = 0; i < SIGN_IN_LIMITS.failuresPerAccount; i++) {
      await attempt(user.email, "wrong");
      await attempt(unknown, "wrong");
    }
    const known = await attempt(user.email, "wrong");
    const missing = await attempt(unknown, "wrong");
    expect(known.status).toBe(429);
    expect({ status: missing.status, body: missing.body }).toEqual({ status: known.status, body: known.body });
  });
});
