/**
 * Links in emails that must work without a session: unsubscribing. The token
 * is an HMAC of the person's id under the server's secret, so it cannot be
 * made for someone else and needs no table; it does not expire (an old email's
 * link keeps working, as RFC 8058 expects of List-Unsubscribe).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { env } from "#app/env.server.ts";
import { getDb, transaction } from "#db/client.ts";
import { serverSecrets } from "#db/schema.ts";
import { randomSecret } from "./crypto.server.ts";

export function unsubscribeToken(secret: string, userId: string): string {
  return createHmac("sha256", secret).update(`unsubscribe\n${userId}`).digest("base64url");
}

export function isValidUnsubscribeToken(secret: string, userId: string, token: string): boolean {
  const expected = Buffer.from(unsubscribeToken(secret, userId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function unsubscribeUrl(origin: string, secret: string, userId: string): string {
  const query = new URLSearchParams({ u: userId, t: unsubscribeToken(secret, userId) });
  return `${origin}/email/unsubscribe?${query}`;
}

const SECRET_NAME = "link-signing";
let cached: string | undefined;

/**
 * APP_SECRET, else a random secret made once and kept in the database: every
 * process on that database signs alike, and no guessable default exists.
 */
export async function linkSigningSecret(): Promise<string> {
  const configured = env().APP_SECRET;
  if (configured) return configured;
  if (cached) return cached;
  const stored = (await getDb().select().from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME)))[0];
  if (stored) {
    cached = stored.value;
    return cached;
  }
  await transaction((tx) =>
    tx
      .insert(serverSecrets)
      .values({ name: SECRET_NAME, value: randomSecret(32) })
      .onConflictDoNothing(),
  );
  // Another process may have stored its own first: the stored one wins everywhere.
  cached = (await getDb().select().from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME)))[0]!.value;
  return cached;
}
