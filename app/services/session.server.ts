/**
 * Browser sessions, the way the Lucia project teaches them after retiring the
 * `lucia` package (docs/decisions/003-sessions-the-lucia-way.md): a random 160-bit token in an HttpOnly
 * cookie, only its SHA-256 in the database, a sliding expiry renewed on use,
 * and an absolute lifetime no renewal can pass.
 */
import { and, eq, ne, lt } from "drizzle-orm";
import { env } from "#app/env.server.ts";
import * as cookie from "cookie";
import { getDb, transaction } from "#db/client.ts";
import { sessions, users, type User } from "#db/schema.ts";
import { hashSecret, randomSecret } from "./crypto.server.ts";
import { publishSessionEnded } from "./realtime-hub.server.ts";

const DAY = 24 * 60 * 60 * 1000;
/** A session unused for this long ends. */
export const SESSION_IDLE_LIFETIME_MS = 30 * DAY;
/** Renew the sliding expiry once less than this is left, so not every request writes. */
const RENEW_WHEN_LEFT_MS = 15 * DAY;
/** No session lives longer than this after sign-in, however active. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 60 * DAY;

export const SESSION_COOKIE = "consilience_session";

export interface SessionUser {
  session: { id: string; userId: string; createdAt: Date; expiresAt: Date };
  user: Pick<User, "id" | "email" | "name">;
}

export async function createSession(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomSecret(20);
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_LIFETIME_MS);
  await transaction((tx) => tx.insert(sessions).values({ id: hashSecret(token), userId, createdAt: now, expiresAt }));
  return { token, expiresAt };
}

export async function validateSessionToken(token: string, now = new Date()): Promise<SessionUser | null> {
  const db = getDb();
  const id = hashSecret(token);
  const row = (
    await db
      .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name } })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, id))
  )[0];
  if (!row) return null;
  const { session } = row;
  const absoluteEnd = session.createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS;
  if (now.getTime() >= session.expiresAt.getTime() || now.getTime() >= absoluteEnd) {
    await transaction((tx) => tx.delete(sessions).where(eq(sessions.id, id)));
    return null;
  }
  if (session.expiresAt.getTime() - now.getTime() < RENEW_WHEN_LEFT_MS) {
    session.expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_LIFETIME_MS, absoluteEnd));
    const expiresAt = session.expiresAt;
    await transaction((tx) => tx.update(sessions).set({ expiresAt }).where(eq(sessions.id, id)));
  }
  return row;
}

/** Ends one session (sign-out); its live connections close too. */
export async function invalidateSession(sessionId: string): Promise<void> {
  const [ended] = await transaction((tx) => tx.delete(sessions).where(eq(sessions.id, sessionId)).returning({ userId: sessions.userId }));
  if (ended) publishSessionEnded({ userId: ended.userId, sessionId });
}

/** Ends every session of a user, or every one but `keepSessionId`. */
export async function invalidateUserSessions(userId: string, keepSessionId?: string): Promise<void> {
  const where = keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId);
  await transaction((tx) => tx.delete(sessions).where(where));
}

export async function deleteExpiredSessions(now = new Date()): Promise<void> {
  await transaction((tx) => tx.delete(sessions).where(lt(sessions.expiresAt, now)));
}

export function sessionTokenFromCookieHeader(header: string | null | undefined): string | null {
  if (!header) return null;
  return cookie.parse(header)[SESSION_COOKIE] ?? null;
}

// The cookie outlives any sliding renewal: the database decides whether the session is alive.
export function sessionCookie(token: string): string {
  return cookie.serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieIsSecure(),
    path: "/",
    maxAge: SESSION_ABSOLUTE_LIFETIME_MS / 1000,
  });
}

export function clearedSessionCookie(): string {
  return cookie.serialize(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieIsSecure(),
    path: "/",
    maxAge: 0,
  });
}

function cookieIsSecure(): boolean {
  const settings = env();
  return settings.NODE_ENV !== "development" && settings.COOKIE_SECURE !== "0";
}
