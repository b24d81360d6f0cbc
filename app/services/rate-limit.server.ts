/**
 * Brute-force protection for sign-in and token creation: a budget per account
 * (failed attempts) and per client IP (all attempts). In memory, because one
 * process is the embedded default; rate-limiter-flexible offers the same
 * limiter on Redis for several processes. Limits can be tuned by environment.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimited } from "./errors.server.ts";

const GLOBAL_KEY = Symbol.for("consilience.rateLimiters");

interface Limiters {
  failuresPerAccount: RateLimiterMemory;
  attemptsPerIp: RateLimiterMemory;
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function limiters(): Limiters {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Limiters };
  g[GLOBAL_KEY] ??= {
    failuresPerAccount: new RateLimiterMemory({
      keyPrefix: "login-account",
      points: numberFromEnv("LOGIN_FAILURES_PER_ACCOUNT", 5),
      duration: 15 * 60,
    }),
    attemptsPerIp: new RateLimiterMemory({
      keyPrefix: "login-ip",
      points: numberFromEnv("LOGIN_ATTEMPTS_PER_IP", 30),
      duration: 60,
    }),
  };
  return g[GLOBAL_KEY];
}

const MESSAGE = "Too many sign-in attempts. Wait a little, then try again.";

function refusal(res: unknown): never {
  if (res instanceof RateLimiterRes) {
    throw rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)), MESSAGE);
  }
  throw res;
}

/** Counts one sign-in attempt from `ip` and refuses when the account or the IP is over budget. */
export async function guardSignInAttempt(email: string, ip: string): Promise<void> {
  const { failuresPerAccount, attemptsPerIp } = limiters();
  await attemptsPerIp.consume(ip).catch(refusal);
  const account = await failuresPerAccount.get(email);
  if (account && account.remainingPoints <= 0) refusal(account);
}

export async function recordSignInFailure(email: string): Promise<void> {
  await limiters().failuresPerAccount.penalty(email, 1);
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await limiters().failuresPerAccount.delete(email);
}
