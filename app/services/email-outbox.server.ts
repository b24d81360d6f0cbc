/**
 * The outbox's sending side: a sender claims one message for a lease (the
 * attempt is counted at the claim), sends it, and marks it sent. A sender that
 * dies mid-way leaves the claim to lapse; the next claim sends the same row
 * again with the same Message-ID. Failures wait with a doubling backoff and,
 * when the attempts run out, stay in the table as failed with their error
 * (docs/decisions/022-email-outbox.md).
 */
import { and, desc, eq, isNull, lte, or } from "drizzle-orm";
import { retryDelayMs } from "#app/domain/email.ts";
import { getDb, transaction } from "#db/client.ts";
import { type EmailOutboxRow, emailOutbox } from "#db/schema.ts";
import type { PublicUser } from "./accounts.server.ts";

const claimable = (now: Date) =>
  and(
    isNull(emailOutbox.sentAt),
    isNull(emailOutbox.failedAt),
    lte(emailOutbox.nextAttemptAt, now),
    or(isNull(emailOutbox.claimedUntil), lte(emailOutbox.claimedUntil, now)),
  );

/**
 * Claims the next message due, or answers null. A message whose attempts ran
 * out while claimed (its senders kept dying) is given up here instead.
 */
export async function claimNextEmail(now: Date, options: { leaseMs: number; maxAttempts: number }): Promise<EmailOutboxRow | null> {
  return await transaction(async (tx) => {
    for (;;) {
      const next = (await tx.select().from(emailOutbox).where(claimable(now)).orderBy(emailOutbox.nextAttemptAt).limit(1))[0];
      if (!next) return null;
      if (next.attempts >= options.maxAttempts) {
        await tx
          .update(emailOutbox)
          .set({ failedAt: now, claimedUntil: null, lastError: next.lastError ?? "The sender stopped during every attempt." })
          .where(eq(emailOutbox.id, next.id));
        continue;
      }
      const [claimed] = await tx
        .update(emailOutbox)
        .set({ attempts: next.attempts + 1, claimedUntil: new Date(now.getTime() + options.leaseMs) })
        .where(and(eq(emailOutbox.id, next.id), claimable(now)))
        .returning();
      if (claimed) return claimed;
    }
  });
}

export async function markEmailSent(id: string, now = new Date()): Promise<void> {
  await transaction((tx) => tx.update(emailOutbox).set({ sentAt: now, claimedUntil: null, lastError: null }).where(eq(emailOutbox.id, id)));
}

/** A refused or failed send: retried after a backoff, or given up after the last attempt. */
export async function markEmailFailed(
  row: EmailOutboxRow,
  error: string,
  options: { retryBaseMs: number; maxAttempts: number },
  now = new Date(),
): Promise<"retry" | "failed"> {
  const givenUp = row.attempts >= options.maxAttempts;
  await transaction((tx) =>
    tx
      .update(emailOutbox)
      .set({
        claimedUntil: null,
        lastError: error.slice(0, 1000),
        ...(givenUp ? { failedAt: now } : { nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts, options.retryBaseMs)) }),
      })
      .where(eq(emailOutbox.id, row.id)),
  );
  return givenUp ? "failed" : "retry";
}

export type EmailStatus = "sent" | "waiting" | "retrying" | "failed";

export interface SentEmailSummary {
  id: string;
  subject: string;
  createdAt: Date;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
}

/** The caller's recent emails and how each went, for their settings page. */
export async function listMyRecentEmails(user: PublicUser, limit = 10): Promise<SentEmailSummary[]> {
  const rows = await getDb()
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.userId, user.id))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    createdAt: r.createdAt,
    attempts: r.attempts,
    lastError: r.lastError,
    status: r.sentAt ? "sent" : r.failedAt ? "failed" : r.lastError ? "retrying" : "waiting",
  }));
}
