/**
 * Accounts: sign-up, sign-in, name and password. Passwords are hashed with
 * argon2id; sign-in is rate limited and its refusals never say which of the
 * email or the password was wrong.
 */
import { eq } from "drizzle-orm";
import { env } from "#app/env.server.ts";
import { hash, verify } from "@node-rs/argon2";
import { getDb } from "#db/client.ts";
import { users } from "#db/schema.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { ChangeNameInput, ChangeOrcidInput, ChangePasswordInput, RegisterInput, SignInInput } from "#app/schemas/accounts.ts";
import { conflict, forbidden, unauthorized, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { newId } from "./crypto.server.ts";
import { guardSignInAttempt, recordSignInSuccess } from "./rate-limit.server.ts";
import { createSession, invalidateUserSessions } from "./session.server.ts";
import { parseInput } from "./validation.server.ts";

export type { PublicUser };

const ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id (a const enum, so not importable as a value)

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export function registrationIsOpen(): boolean {
  return env().REGISTRATION === "open";
}

export async function registerUser(input: unknown): Promise<PublicUser> {
  if (!registrationIsOpen()) throw forbidden("Registration is closed on this server. Ask a workspace lead for an account.");
  return createAccount(input);
}

/** Creates an account whatever the registration setting (the demo seed uses it directly). */
export async function createAccount(input: unknown): Promise<PublicUser> {
  const data = parseInput(RegisterInput, input);
  const passwordHash = await hashPassword(data.password);
  return await writeTransaction(async ({ tx, record }) => {
    const taken = (await tx.select({ id: users.id }).from(users).where(eq(users.email, data.email)))[0];
    if (taken) throw conflict("An account with this email already exists. Sign in instead.", [{ field: "email" }]);
    const user = { id: newId(), email: data.email, name: data.name, passwordHash, createdAt: new Date() };
    await tx.insert(users).values(user);
    await record({ workspaceId: null, actorId: user.id, type: "user.registered", target: { type: "user", id: user.id } });
    return { id: user.id, email: user.email, name: user.name };
  });
}

const INVALID_CREDENTIALS = "Email or password is incorrect.";

// Verifying against a real hash even for unknown emails keeps the answer's timing
// from telling which accounts exist.
let dummyHash: Promise<string> | undefined;

/** Checks credentials under the sign-in rate limits; answers the user, or throws 401/429. */
export async function authenticateWithPassword(input: unknown, clientIp: string): Promise<PublicUser> {
  const data = parseInput(SignInInput, input);
  await guardSignInAttempt(data.email, clientIp);
  const user = (await getDb().select().from(users).where(eq(users.email, data.email)))[0];
  dummyHash ??= hashPassword("not-a-real-password");
  const valid = await verify(user?.passwordHash ?? (await dummyHash), data.password);
  // A failure keeps the budget point the guard took.
  if (!user || !valid) throw unauthorized(INVALID_CREDENTIALS);
  await recordSignInSuccess(data.email);
  return { id: user.id, email: user.email, name: user.name };
}

/** Signs in: a fresh session every time (no fixation). */
export async function signIn(input: unknown, clientIp: string) {
  const user = await authenticateWithPassword(input, clientIp);
  return { user, ...(await createSession(user.id)) };
}

export async function changeName(actor: PublicUser, input: unknown): Promise<PublicUser> {
  const { name } = parseInput(ChangeNameInput, input);
  return await writeTransaction(async ({ tx, record }) => {
    await tx.update(users).set({ name }).where(eq(users.id, actor.id));
    await record({
      workspaceId: null,
      actorId: actor.id,
      type: "user.renamed",
      target: { type: "user", id: actor.id },
      payload: { before: actor.name, after: name },
    });
    return { ...actor, name };
  });
}

/** The caller's ORCID iD, named on the snapshots they co-author; null when they gave none. */
export async function orcidOf(actor: PublicUser): Promise<string | null> {
  const [row] = await getDb().select({ orcid: users.orcid }).from(users).where(eq(users.id, actor.id));
  return row?.orcid ?? null;
}

export async function changeOrcid(actor: PublicUser, input: unknown): Promise<string | null> {
  const { orcid } = parseInput(ChangeOrcidInput, input);
  return await writeTransaction(async ({ tx, record }) => {
    const [before] = await tx.select({ orcid: users.orcid }).from(users).where(eq(users.id, actor.id));
    await tx.update(users).set({ orcid }).where(eq(users.id, actor.id));
    await record({
      workspaceId: null,
      actorId: actor.id,
      type: "user.orcid_changed",
      target: { type: "user", id: actor.id },
      payload: { before: before?.orcid ?? null, after: orcid },
    });
    return orcid;
  });
}

/**
 * Changes the password after checking the current one, ends every session of
 * the user and starts a new one for the caller.
 */
export async function changePassword(actor: PublicUser, input: unknown) {
  const data = parseInput(ChangePasswordInput, input);
  const user = (await getDb().select().from(users).where(eq(users.id, actor.id)))[0];
  if (!user || !(await verify(user.passwordHash, data.currentPassword))) {
    throw validationFailed("The current password is not right.", [
      { field: "currentPassword", message: "The current password is not right." },
    ]);
  }
  const passwordHash = await hashPassword(data.newPassword);
  await writeTransaction(async ({ tx, record }) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    await record({
      workspaceId: null,
      actorId: actor.id,
      type: "user.password_changed",
      target: { type: "user", id: actor.id },
    });
  });
  await invalidateUserSessions(actor.id);
  return await createSession(actor.id);
}
