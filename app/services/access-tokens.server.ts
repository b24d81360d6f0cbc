/**
 * Personal access tokens for scripts (R, Python). A token is 160 random bits,
 * shown once; the database keeps its SHA-256, a label, an expiry and when it
 * was last used.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb, transaction } from "#db/client.ts";
import { accessTokens, users } from "#db/schema.ts";
import { CreateTokenInput } from "#app/schemas/accounts.ts";
import { hashSecret, newId, randomSecret } from "./crypto.server.ts";
import { notFound } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { parseInput } from "./validation.server.ts";
import type { AccessTokenInfo, IssuedAccessToken, PublicUser } from "#app/public-shapes/accounts.ts";

const DAY = 24 * 60 * 60 * 1000;
/** lastUsedAt is a hint for the user, not an audit record: refresh it at most this often. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;
/** Tokens carry a prefix so they are easy to spot in scripts and secret scanners. */
const TOKEN_PREFIX = "cns_";

export async function createAccessToken(actor: PublicUser, input: unknown, now = new Date()): Promise<IssuedAccessToken> {
  const { label, expiresInDays } = parseInput(CreateTokenInput, input);
  const token = TOKEN_PREFIX + randomSecret(20);
  const row = {
    id: newId(),
    userId: actor.id,
    tokenHash: hashSecret(token),
    label,
    createdAt: now,
    expiresAt: new Date(now.getTime() + expiresInDays * DAY),
  };
  await writeTransaction(async ({ tx, record }) => {
    await tx.insert(accessTokens).values(row);
    await record({
      workspaceId: null,
      actorId: actor.id,
      type: "token.created",
      target: { type: "access_token", id: row.id },
      payload: { label, expiresAt: row.expiresAt.toISOString() },
    });
  });
  return { token, id: row.id, label, expiresAt: row.expiresAt };
}

export async function listAccessTokens(actor: PublicUser): Promise<AccessTokenInfo[]> {
  return await getDb()
    .select({
      id: accessTokens.id,
      label: accessTokens.label,
      createdAt: accessTokens.createdAt,
      expiresAt: accessTokens.expiresAt,
      lastUsedAt: accessTokens.lastUsedAt,
      revokedAt: accessTokens.revokedAt,
    })
    .from(accessTokens)
    .where(eq(accessTokens.userId, actor.id))
    .orderBy(desc(accessTokens.createdAt));
}

export async function revokeAccessToken(actor: PublicUser, tokenId: string): Promise<void> {
  await writeTransaction(async ({ tx, record }) => {
    const row = (
      await tx
        .select()
        .from(accessTokens)
        .where(and(eq(accessTokens.id, tokenId), eq(accessTokens.userId, actor.id)))
    )[0];
    if (!row) throw notFound("No such access token.");
    if (row.revokedAt) return;
    await tx.update(accessTokens).set({ revokedAt: new Date() }).where(eq(accessTokens.id, tokenId));
    await record({
      workspaceId: null,
      actorId: actor.id,
      type: "token.revoked",
      target: { type: "access_token", id: tokenId },
      payload: { label: row.label },
    });
  });
}

/** The user a bearer token speaks for, or null when it is unknown, expired or revoked. */
export async function authenticateAccessToken(token: string, now = new Date()) {
  const db = getDb();
  const row = (
    await db
      .select({ token: accessTokens, user: { id: users.id, email: users.email, name: users.name } })
      .from(accessTokens)
      .innerJoin(users, eq(users.id, accessTokens.userId))
      .where(and(eq(accessTokens.tokenHash, hashSecret(token)), isNull(accessTokens.revokedAt)))
  )[0];
  if (!row || row.token.expiresAt.getTime() <= now.getTime()) return null;
  const lastUsed = row.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - lastUsed > LAST_USED_RESOLUTION_MS) {
    await transaction((tx) => tx.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, row.token.id)));
  }
  return { user: row.user, tokenId: row.token.id };
}
