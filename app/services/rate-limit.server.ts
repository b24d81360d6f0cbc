/**
 * Brute-force protection for sign-in and token creation: a budget per account
 * (failed attempts) and per client IP (all attempts). In memory, because one
 * process is the embedded default; rate-limiter-flexible offers the same
 * limiter on Redis for several processes. Limits can be tuned by environment.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "#app/env.server.ts";
import { rateLimited } from "./errors.server.ts";

const GLOBAL_KEY = Symbol.for("consilience.rateLimiters");

interface Limiters {
  failuresPerAccount: RateLimiterMemory;
  attemptsPerIp: RateLimiterMemory;
}

/** The budgets in force (README, "Configuration"); the security tests derive their figures from these. */
export const SIGN_IN_LIMITS = {
  failuresPerAccount: env().LOGIN_FAILURES_PER_ACCOUNT,
  failureWindowSeconds: 15 * 60,
  attemptsPerIp: env().LOGIN_ATTEMPTS_PER_IP,
  attemptWindowSeconds: 60,
};

function limiters(): Limiters {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Limiters };
  g[GLOBAL_KEY] ??= {
    failuresPerAccount: new RateLimiterMemory({
      keyPrefix: "login-account",
      points: SIGN_IN_LIMITS.failuresPerAccount,
      duration: SIGN_IN_LIMITS.failureWindowSeconds,
    }),
    attemptsPerIp: new RateLimiterMemory({
      keyPrefix: "login-ip",
      points: SIGN_IN_LIMITS.attemptsPerIp,
      duration: SIGN_IN_LIMITS.attemptWindowSeconds,
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

/**
 * Counts one sign-in attempt from `ip` and takes one point of the account's
 * failure budget before the password is checked, refusing when either is
 * spent. Taking the point first matters: checking a password takes time, and
 * guesses sent all at once would otherwise all pass the check of a budget
 * that none of them has charged yet. A success gives the budget back whole.
 */
export async function guardSignInAttempt(email: string, ip: string): Promise<void> {
  const { failuresPerAccount, attemptsPerIp } = limiters();
  await attemptsPerIp.consume(ip).catch(refusal);
  await failuresPerAccount.consume(email).catch(refusal);
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await limiters().failuresPerAccount.delete(email);
}
