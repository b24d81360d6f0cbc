/**
 * Each person's email choice (immediately, daily digest, never). A personal
 * setting, like reading a notification: not a workspace event, so it stays
 * out of the audit trail (docs/decisions/007 and 022).
 */
import { eq } from "drizzle-orm";
import { DEFAULT_EMAIL_DELIVERY, type EmailDelivery } from "#app/domain/email.ts";
import { EmailSettingsInput } from "#app/schemas/email.ts";
import { getDb, type Transaction, transaction } from "#db/client.ts";
import { emailPreferences, users } from "#db/schema.ts";
import type { PublicUser } from "./accounts.server.ts";
import { isValidUnsubscribeToken, linkSigningSecret } from "./email-links.server.ts";
import { forbidden } from "./errors.server.ts";
import { parseInput } from "./validation.server.ts";

export async function emailDeliveryOf(userId: string): Promise<EmailDelivery> {
  const row = (await getDb().select().from(emailPreferences).where(eq(emailPreferences.userId, userId)))[0];
  return row?.delivery ?? DEFAULT_EMAIL_DELIVERY;
}

async function store(tx: Transaction, userId: string, delivery: EmailDelivery, now: Date) {
  await tx
    .insert(emailPreferences)
    .values({ userId, delivery, updatedAt: now })
    .onConflictDoUpdate({ target: emailPreferences.userId, set: { delivery, updatedAt: now } });
}

/** The signed-in person chooses how they get email. */
export async function setEmailDelivery(user: PublicUser, input: unknown, now = new Date()): Promise<EmailDelivery> {
  const { delivery } = parseInput(EmailSettingsInput, input);
  await transaction((tx) => store(tx, user.id, delivery, now));
  return delivery;
}

/** Whose link it is, or a refusal: the same answer for an unknown person and a wrong token. */
export async function unsubscribeLinkOwner(userId: string, token: string): Promise<{ id: string; email: string; delivery: EmailDelivery }> {
  const refused = forbidden("This unsubscribe link is not valid. Sign in and choose in your settings instead.");
  if (!isValidUnsubscribeToken(await linkSigningSecret(), userId, token)) throw refused;
  const user = (await getDb().select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId)))[0];
  if (!user) throw refused;
  return { ...user, delivery: await emailDeliveryOf(userId) };
}

/** One click from an email (or a mail client's RFC 8058 POST): no more email, no session needed. */
export async function unsubscribeByLink(userId: string, token: string, now = new Date()): Promise<{ email: string }> {
  const owner = await unsubscribeLinkOwner(userId, token);
  await transaction((tx) => store(tx, owner.id, "never", now));
  return { email: owner.email };
}
