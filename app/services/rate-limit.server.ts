/**
 * Brute-force protection for sign-in and token creation: a budget per account
 * (failed attempts) and per client IP (all attempts). In memory for the
 * one-process default; in Redis when several processes share REDIS_URL, so
 * five guesses mean five in all, not five per process. Limits can be tuned by
 * environment.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import { sharedRedis, usesRedis } from "#db/redis.ts";
import { env } from "#app/env.server.ts";
import { rateLimited } from "./errors.server.ts";

const GLOBAL_KEY = Symbol.for("consilience.rateLimiters");

type Limiter = RateLimiterMemory | RateLimiterStoreAbstract;

interface Limiters {
  failuresPerAccount: Limiter;
  attemptsPerIp: Limiter;
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
    failuresPerAccount: limiter("login-account", SIGN_IN_LIMITS.failuresPerAccount, SIGN_IN_LIMITS.failureWindowSeconds),
    attemptsPerIp: limiter("login-ip", SIGN_IN_LIMITS.attemptsPerIp, SIGN_IN_LIMITS.attemptWindowSeconds),
  };
  return g[GLOBAL_KEY];
}

function limiter(keyPrefix: string, points: number, duration: number): Limiter {
  // No in-memory fallback on Redis errors: a budget that silently became per-process would not hold.
  return usesRedis()
    ? new RateLimiterRedis({
        storeClient: sharedRedis(),
        useRedisPackage: false,
        keyPrefix: `${env().REDIS_PREFIX}:${keyPrefix}`,
        points,
        duration,
      })
    : new RateLimiterMemory({ keyPrefix, points, duration });
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
