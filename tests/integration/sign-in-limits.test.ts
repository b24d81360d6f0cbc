/**
 * Sign-in budgets: per account (failed attempts) and per client address (all
 * attempts), against a running server; and the per-account budget over a day
 * of guessing, measured on a fake clock.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { guardSignInAttempt } from "#app/services/rate-limit.server.ts";
import { isServiceError } from "#app/services/errors.server.ts";
import { ApiClient, registerUser, TEST_PASSWORD, type ApiResponse } from "#tests/support/api.ts";
import { seededRandom, seedFromEnv } from "#tests/support/random.ts";
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

/**
 * The server checks every sign-in (page form and token request alike) with
 * guardSignInAttempt before it looks at the password (app/services/accounts.server.ts);
 * here that same function is driven by guessing schedules on a fake clock, a
 * day at a time, from a new address for every guess (so only the account's
 * budget can stop them). A guess the guard lets through is one the server
 * would check; the figures are counts of those.
 */
describe("the per-account budget over a day of guessing, on a fake clock", () => {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  let address = 0;

  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval"],
      now: new Date("2026-01-05T08:00:00Z"),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Sends the guesses at the given offsets (ms, ascending) at one account; answers the offsets of those let through. */
  async function guess(offsets: number[]): Promise<number[]> {
    const email = `target.${randomUUID().slice(0, 8)}@test.example`;
    const start = Date.now();
    const checked: number[] = [];
    for (const offset of offsets) {
      await vi.advanceTimersByTimeAsync(start + offset - Date.now());
      const ip = `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
      address++;
      try {
        await guardSignInAttempt(email, ip);
        checked.push(offset);
      } catch (error) {
        if (!isServiceError(error) || error.status !== 429) throw error;
      }
    }
    return checked;
  }

  /** The most checked guesses inside any 60 minutes (spans starting at a checked guess cover every maximum). */
  const busiestHour = (checked: number[]) =>
    Math.max(0, ...checked.map((from, i) => checked.slice(i).filter((t) => t < from + HOUR).length));

  it("lets through 20 guesses an hour, sustained, and never more than 24 in any 60 minutes", async () => {
    // A guess every minute for 24 hours.
    const steady = await guess(Array.from({ length: 24 * 60 }, (_, i) => i * MINUTE));
    // A guesser who knows the 15-minute window and packs an hour: one guess opens a window and four
    // go in its last millisecond; each of the next four windows opens the moment the previous one
    // ends and takes all five at once. Then again, all day.
    const WINDOW = 15 * MINUTE;
    const edges: number[] = [];
    for (let w = 0; w < 24 * 4; w++) {
      const open = w * WINDOW;
      edges.push(...(w % 5 === 0 ? [open, ...Array(4).fill(open + WINDOW - 1)] : Array(5).fill(open)));
    }
    const atEdges = await guess(edges);
    // Random schedules: bursts and pauses of every length.
    const random = seededRandom(seedFromEnv("SIGN_IN_SEED"));
    let busiestRandom = 0;
    for (let schedule = 0; schedule < 40; schedule++) {
      const offsets: number[] = [];
      for (let t = 0; t < 6 * HOUR; ) {
        offsets.push(t);
        t += random.next() < 0.7 ? random.int(0, 2_000) : random.int(1, 20) * MINUTE;
      }
      busiestRandom = Math.max(busiestRandom, busiestHour(await guess(offsets)));
    }

    const sustained = steady.length / 24;
    const busiest = Math.max(busiestHour(steady), busiestHour(atEdges), busiestRandom);
    console.log(
      `figure sign-in budget: ${sustained} guesses per account per hour sustained (a guess a minute for 24 h: ${steady.length} checked); ` +
        `busiest 60 minutes: ${busiest} (steady ${busiestHour(steady)}, at the window's edges ${busiestHour(atEdges)}, 40 random schedules ${busiestRandom})`,
    );
    expect(sustained).toBe(20);
    expect(atEdges.length / 24).toBe(20);
    expect(busiest).toBe(24);
  });
});
