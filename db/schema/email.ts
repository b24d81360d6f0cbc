/**
 * Email for people who are away (docs/decisions/022-email-outbox.md): each
 * person's choice, and the outbox every message passes through. A message is
 * composed and stored in one transaction with the notifications it carries;
 * a sender claims it for a lease, sends it and marks it sent. Not workspace
 * data and not audit events (decision 007).
 */
import type { EmailDelivery } from "../../app/domain/email.ts";
import { users } from "./accounts.ts";
import { createdAt, index, integer, table, text, timestamp, uniqueIndex } from "./columns.ts";

/** A person's email choice; no row means the default, "immediately". */
export const emailPreferences = table("email_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  delivery: text("delivery").$type<EmailDelivery>().notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

export const emailOutbox = table(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Person, delivery and window (app/domain/email.ts batchKey): one message per batch, however often it is queued. */
    batchKey: text("batch_key").notNull(),
    toAddress: text("to_address").notNull(),
    /** Fixed when queued, so every attempt (and a resend after a crash) carries the same Message-ID. */
    messageId: text("message_id").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    unsubscribeUrl: text("unsubscribe_url").notNull(),
    createdAt: createdAt(),
    /** Not sent before this time (the backoff after a failure). */
    nextAttemptAt: timestamp("next_attempt_at").notNull(),
    /** Attempts started, counted when claimed: a crash mid-send counts too. */
    attempts: integer("attempts").notNull().default(0),
    /** A sender holds the message until then; after it, another may claim it. */
    claimedUntil: timestamp("claimed_until"),
    sentAt: timestamp("sent_at"),
    /** Set when the attempts ran out: the message is given up and shown as failed. */
    failedAt: timestamp("failed_at"),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("email_outbox_batch_unique").on(t.batchKey),
    index("email_outbox_due_idx").on(t.sentAt, t.nextAttemptAt),
    index("email_outbox_user_idx").on(t.userId, t.createdAt),
  ],
);

/** Secrets the server makes for itself when none is configured (the unsubscribe links' signing key). */
export const serverSecrets = table("server_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

export type EmailOutboxRow = typeof emailOutbox.$inferSelect;
