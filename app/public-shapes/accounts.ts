/** How the API writes accounts and personal access tokens. */
import type { z } from "zod";
import type { User } from "#db/schema.ts";
import type { AccessTokenJson, IssuedAccessTokenJson, RegisteredUserJson, UserJson } from "#app/schemas/accounts.ts";

/** A user as others may see them: never the password hash. */
export type PublicUser = Pick<User, "id" | "email" | "name">;

/** A member as shown beside what they did. */
export interface Person {
  id: string;
  name: string;
}

export interface AccessTokenInfo {
  id: string;
  label: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A token just made: the only time its secret is shown. */
export interface IssuedAccessToken {
  token: string;
  id: string;
  label: string;
  expiresAt: Date;
}

export const userJson = (u: PublicUser): z.output<typeof UserJson> => ({ id: u.id, email: u.email, name: u.name });

export const registeredUserJson = (u: PublicUser): z.output<typeof RegisteredUserJson> => ({ user: userJson(u) });

export const accessTokenJson = (t: AccessTokenInfo): z.output<typeof AccessTokenJson> => ({
  id: t.id,
  label: t.label,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export const issuedAccessTokenJson = (t: IssuedAccessToken): z.output<typeof IssuedAccessTokenJson> => ({
  token: t.token,
  id: t.id,
  label: t.label,
  expiresAt: t.expiresAt.toISOString(),
});
