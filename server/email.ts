/**
 * The email job: every EMAIL_POLL_MS it queues the emails that are due and
 * sends what the outbox holds. With several processes one does each part at a
 * time (a lock in the database); a message's claim is a lease, so a process
 * that dies mid-send leaves it to the next (docs/decisions/022-email-outbox.md).
 * Without SMTP_URL, messages are written as .eml files to EMAIL_OUTBOX_DIR.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { connection } from "#db/client.ts";
import type { EmailOutboxRow } from "#db/schema.ts";
import { env } from "#app/env.server.ts";
import { claimNextEmail, markEmailFailed, markEmailSent } from "#app/services/email-outbox.server.ts";
import { queueDueEmails } from "#app/services/email-queue.server.ts";

type Deliver = (message: Mail.Options & { messageId: string }) => Promise<void>;

function smtpDelivery(url: string): Deliver {
  const transport = nodemailer.createTransport(url);
  return async (message) => {
    await transport.sendMail(message);
  };
}

/** Writes each message as `<outbox id>.eml`; a resend after a crash replaces the file rather than adding one. */
function folderDelivery(folder: string): Deliver {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return async (message) => {
    const info = await transport.sendMail(message);
    await mkdir(folder, { recursive: true });
    const name = message.messageId.replace(/^<|@.*$/g, "").replace(/[^\w.-]/g, "_");
    const file = path.join(folder, `${name}.eml`);
    await writeFile(`${file}.partial`, info.message as Buffer);
    await rename(`${file}.partial`, file);
  };
}

function fromAddressDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startEmail(origin: () => string): { stop(): void } {
  const settings = env();
  const deliver = settings.SMTP_URL ? smtpDelivery(settings.SMTP_URL) : folderDelivery(path.resolve(settings.EMAIL_OUTBOX_DIR));
  const messageIdDomain = fromAddressDomain(settings.MAIL_FROM);

  const send = async (row: EmailOutboxRow) => {
    await deliver({
      from: settings.MAIL_FROM,
      to: row.toAddress,
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody,
      messageId: row.messageId,
      date: row.createdAt,
      headers: {
        "List-Unsubscribe": `<${row.unsubscribeUrl}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
      },
    });
  };

  const sendOutbox = async () => {
    for (;;) {
      const row = await claimNextEmail(new Date(), { leaseMs: settings.EMAIL_SEND_LEASE_MS, maxAttempts: settings.EMAIL_MAX_ATTEMPTS });
      if (!row) return;
      if (settings.EMAIL_TEST_PAUSE_AFTER_CLAIM_MS) {
        console.log(`Email ${row.id}: claimed, attempt ${row.attempts}; pausing before sending (EMAIL_TEST_PAUSE_AFTER_CLAIM_MS).`);
        await sleep(settings.EMAIL_TEST_PAUSE_AFTER_CLAIM_MS);
      }
      try {
        await send(row);
      } catch (error) {
        const outcome = await markEmailFailed(row, error instanceof Error ? error.message : String(error), {
          retryBaseMs: settings.EMAIL_RETRY_BASE_MS,
          maxAttempts: settings.EMAIL_MAX_ATTEMPTS,
        });
        console.error(
          `Email ${row.id} to ${row.toAddress}: attempt ${row.attempts} failed (${outcome === "failed" ? "given up" : "will retry"}):`,
          error,
        );
        continue;
      }
      if (settings.EMAIL_TEST_PAUSE_AFTER_SEND_MS) {
        console.log(`Email ${row.id}: sent, not yet marked; pausing (EMAIL_TEST_PAUSE_AFTER_SEND_MS).`);
        await sleep(settings.EMAIL_TEST_PAUSE_AFTER_SEND_MS);
      }
      await markEmailSent(row.id);
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const queued = await connection().exclusively("email-queue", () =>
        queueDueEmails(new Date(), {
          origin: origin(),
          messageIdDomain,
          delayMs: settings.EMAIL_DELAY_MS,
          batchMs: settings.EMAIL_BATCH_MS,
          digestMs: settings.EMAIL_DIGEST_MS,
        }),
      );
      if (queued?.queued) console.log(`Email: ${queued.queued} queued.`);
      await connection().exclusively("email-outbox", sendOutbox);
    } catch (error) {
      // Retried at the next tick; email must not take the server down.
      console.error("Email job failed", error);
    }
    // The next tick starts after this one ends: a slow SMTP server never gets two overlapping runs.
    if (!stopped) {
      timer = setTimeout(tick, settings.EMAIL_POLL_MS);
      timer.unref();
    }
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
