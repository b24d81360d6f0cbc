/**
 * Email for people who are away: when a mention, reply or reminder is emailed,
 * how several are batched into one message, and what the message says. Pure:
 * the outbox service (app/services/email-queue.server.ts) feeds it rows and
 * stores what it composes (docs/decisions/022-email-outbox.md).
 */
import { escapeHtml } from "./html-text.ts";

/** How a person wants email: batched per quarter hour, once a day, or not at all. */
export const EMAIL_DELIVERIES = ["immediately", "daily", "never"] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];
export const DEFAULT_EMAIL_DELIVERY: EmailDelivery = "immediately";

/** The notification kinds that are worth an email. */
export const EMAILED_KINDS = ["mention", "reply", "goal.due_soon", "goal.overdue"] as const;

export interface EmailTiming {
  /** How long a notification may stay unread in the app before it is emailed. */
  delayMs: number;
  /** "immediately": one message per person per window of this length. */
  batchMs: number;
  /** "daily": one message per person per window of this length (a UTC day). */
  digestMs: number;
}

export interface PendingNotification {
  id: string;
  userId: string;
  createdAt: Date;
}

export interface DueBatch<N extends PendingNotification> {
  userId: string;
  delivery: Exclude<EmailDelivery, "never">;
  /** Start of the window the notifications were created in; with the user and delivery it names the batch. */
  windowStart: Date;
  notifications: N[];
}

/**
 * Groups unread, not yet emailed notifications into the messages that are due
 * now. A notification belongs to the window (quarter hour, or day) it was
 * created in; the window's message is due once the window has closed and the
 * delay has passed since, so every notification in it had at least the delay
 * to be read in the app, and a person gets at most one message per window.
 */
export function dueBatches<N extends PendingNotification>(
  pending: N[],
  deliveryOf: (userId: string) => EmailDelivery,
  timing: EmailTiming,
  now: Date,
): DueBatch<N>[] {
  const batches = new Map<string, DueBatch<N>>();
  for (const n of pending) {
    const delivery = deliveryOf(n.userId);
    if (delivery === "never") continue;
    const windowMs = delivery === "daily" ? timing.digestMs : timing.batchMs;
    const start = Math.floor(n.createdAt.getTime() / windowMs) * windowMs;
    if (start + windowMs + timing.delayMs > now.getTime()) continue;
    const key = batchKey(n.userId, delivery, new Date(start));
    const batch = batches.get(key) ?? { userId: n.userId, delivery, windowStart: new Date(start), notifications: [] };
    batch.notifications.push(n);
    batches.set(key, batch);
  }
  for (const batch of batches.values()) batch.notifications.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return [...batches.values()];
}

/** Names one message: a second attempt to queue the same batch finds it already there. */
export function batchKey(userId: string, delivery: EmailDelivery, windowStart: Date): string {
  return `${userId}:${delivery}:${windowStart.toISOString()}`;
}

/** Waiting time before the next attempt after `attempts` failed ones: doubling, at most six hours. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

/** One notification as the message tells it. */
export interface EmailItem {
  kind: string;
  /** Who did it (a mention's or reply's author), if anyone. */
  actorName: string | null;
  /** The resource it happened on ("CRP protocol"), or null when it is gone. */
  placeName: string | null;
  workspaceName: string | null;
  /** The notification's own title, for kinds without a sentence of their own. */
  title: string;
  /** A comment's text or a reminder's detail: untrusted, shown as plain text. */
  body: string;
  /** Absolute link to the place. */
  url: string;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

/** "Ana mentioned you in 'CRP protocol'", in the words of each kind. */
export function headline(item: EmailItem): string {
  const place = item.placeName ? `'${item.placeName}'` : "a comment thread";
  const actor = item.actorName ?? "Someone";
  if (item.kind === "mention") return `${actor} mentioned you in ${place}`;
  if (item.kind === "reply") return `${actor} replied to you in ${place}`;
  return item.title;
}

export function composeEmail(input: {
  recipientName: string;
  delivery: Exclude<EmailDelivery, "never">;
  items: EmailItem[];
  unsubscribeUrl: string;
  settingsUrl: string;
}): ComposedEmail {
  const { items } = input;
  const subject =
    items.length === 1
      ? oneLine(headline(items[0]))
      : input.delivery === "daily"
        ? `Your day in Consilience: ${items.length} things for you`
        : `${items.length} things for you in Consilience`;
  const intro =
    input.delivery === "daily"
      ? "Here is what happened for you in Consilience today and is still unread."
      : items.length === 1
        ? "This is waiting for you in Consilience and you have not seen it yet."
        : "These are waiting for you in Consilience and you have not seen them yet.";
  const footer = "You get this because your email setting is";
  const choice = input.delivery === "daily" ? "daily digest" : "immediately";

  const text = [
    `Hello ${oneLine(input.recipientName)},`,
    "",
    intro,
    "",
    ...items.flatMap((item) => [
      `* ${oneLine(headline(item))}${item.workspaceName ? ` (${oneLine(item.workspaceName)})` : ""}`,
      ...(item.body ? quoted(item.body) : []),
      `  Open: ${item.url}`,
      "",
    ]),
    "--",
    `${footer} "${choice}". Change it: ${input.settingsUrl}`,
    `Stop these emails: ${input.unsubscribeUrl}`,
    "",
  ].join("\n");

  const html = [
    "<!doctype html>",
    '<html><body style="font-family: sans-serif; line-height: 1.5; color: #1e293b">',
    `<p>Hello ${escapeHtml(input.recipientName)},</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    "<ul>",
    ...items.map(
      (item) =>
        `<li><p><a href="${escapeHtml(item.url)}">${escapeHtml(headline(item))}</a>` +
        `${item.workspaceName ? ` <span style="color:#64748b">(${escapeHtml(item.workspaceName)})</span>` : ""}</p>` +
        `${item.body ? `<blockquote style="margin:0 0 1em 0;padding-left:1em;border-left:3px solid #cbd5e1;white-space:pre-wrap">${escapeHtml(item.body)}</blockquote>` : ""}</li>`,
    ),
    "</ul>",
    `<p style="font-size: 0.85em; color: #64748b">${escapeHtml(footer)} “${choice}”. ` +
      `<a href="${escapeHtml(input.settingsUrl)}">Change it</a> · <a href="${escapeHtml(input.unsubscribeUrl)}">Stop these emails</a></p>`,
    "</body></html>",
  ].join("\n");

  return { subject, text, html };
}

/** A subject or list line must stay one line (a newline in a title must not start a header or a new item). */
function oneLine(value: string): string {
  return value.replace(/[\r\n\u2028\u2029\u0085]+/g, " ").trim();
}

function quoted(body: string): string[] {
  return body.split(/\r\n|\r|\n/).map((line) => `  > ${line}`);
}
