/**
 * Composes the emails that are due and queues them in the outbox, in one
 * transaction with the notifications they carry (each is marked with its
 * email, so it is never emailed twice). Run by the server's email job under a
 * cluster-wide lock; sending is app/services/email-outbox.server.ts
 * (docs/decisions/022-email-outbox.md).
 */
import { and, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import { batchKey, composeEmail, dueBatches, EMAILED_KINDS, type EmailItem, type EmailTiming } from "#app/domain/email.ts";
import { mentionedUserIds, mentionsAsPlainText } from "#app/domain/mentions.ts";
import { notificationPath } from "#app/domain/notification-links.ts";
import { type Reader, transaction } from "#db/client.ts";
import {
  datasets,
  emailOutbox,
  emailPreferences,
  goals,
  notifications,
  panels,
  protocols,
  studies,
  users,
  workspaces,
} from "#db/schema.ts";
import { newId } from "./crypto.server.ts";
import { linkSigningSecret, unsubscribeUrl } from "./email-links.server.ts";

export interface QueueSettings extends EmailTiming {
  /** Builds the links: the server's public origin. */
  origin: string;
  /** The host named in Message-IDs (the sender address's domain). */
  messageIdDomain: string;
}

/** Queues every message due at `now`; answers how many. */
export async function queueDueEmails(now: Date, settings: QueueSettings): Promise<{ queued: number }> {
  const secret = await linkSigningSecret();
  return await transaction(async (tx) => {
    // Older notifications belong to windows long closed: a person who switches email on is not sent their history.
    const horizon = new Date(now.getTime() - 2 * Math.max(settings.batchMs, settings.digestMs) - settings.delayMs);
    const pending = await tx
      .select({
        id: notifications.id,
        userId: notifications.userId,
        createdAt: notifications.createdAt,
        kind: notifications.kind,
        title: notifications.title,
        body: notifications.body,
        workspaceId: notifications.workspaceId,
        targetType: notifications.targetType,
        targetId: notifications.targetId,
        actorId: notifications.actorId,
      })
      .from(notifications)
      .where(
        and(
          isNull(notifications.emailOutboxId),
          isNull(notifications.readAt),
          inArray(notifications.kind, [...EMAILED_KINDS]),
          gte(notifications.createdAt, horizon),
          lte(notifications.createdAt, new Date(now.getTime() - settings.delayMs)),
        ),
      );
    if (!pending.length) return { queued: 0 };
    const userIds = [...new Set(pending.map((n) => n.userId))];
    const choices = new Map(
      (await tx.select().from(emailPreferences).where(inArray(emailPreferences.userId, userIds))).map((p) => [p.userId, p.delivery]),
    );
    const batches = dueBatches(pending, (userId) => choices.get(userId) ?? "immediately", settings, now);
    if (!batches.length) return { queued: 0 };
    const people = new Map(
      (await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds))).map((u) => [
        u.id,
        u,
      ]),
    );
    const names = await namesFor(
      tx,
      batches.flatMap((b) => b.notifications),
    );
    let queued = 0;
    for (const batch of batches) {
      const person = people.get(batch.userId)!;
      const id = newId();
      const unsubscribe = unsubscribeUrl(settings.origin, secret, person.id);
      const items: EmailItem[] = batch.notifications.map((n) => ({
        kind: n.kind,
        actorName: n.actorId ? (names.people.get(n.actorId) ?? null) : null,
        placeName: names.places.get(`${n.targetType}:${n.targetId}`) ?? null,
        workspaceName: n.workspaceId ? (names.workspaces.get(n.workspaceId) ?? null) : null,
        title: n.title,
        body: mentionsAsPlainText(n.body, (userId) => names.people.get(userId)),
        url:
          settings.origin +
          (notificationPath({ workspaceId: n.workspaceId, target: { type: n.targetType, id: n.targetId } }) ?? "/notifications"),
      }));
      const composed = composeEmail({
        recipientName: person.name,
        delivery: batch.delivery,
        items,
        unsubscribeUrl: unsubscribe,
        settingsUrl: `${settings.origin}/settings`,
      });
      const inserted = await tx
        .insert(emailOutbox)
        .values({
          id,
          userId: person.id,
          batchKey: batchKey(batch.userId, batch.delivery, batch.windowStart),
          toAddress: person.email,
          messageId: `<${id}.outbox@${settings.messageIdDomain}>`,
          subject: composed.subject,
          textBody: composed.text,
          htmlBody: composed.html,
          unsubscribeUrl: unsubscribe,
          createdAt: now,
          nextAttemptAt: now,
        })
        .onConflictDoNothing({ target: emailOutbox.batchKey })
        .returning({ id: emailOutbox.id });
      // Already queued (a notification that committed after its window's email was queued): it rides with that
      // email's mark rather than earning a second email for the same window.
      const carrier =
        inserted[0]?.id ??
        (
          await tx
            .select({ id: emailOutbox.id })
            .from(emailOutbox)
            .where(eq(emailOutbox.batchKey, batchKey(batch.userId, batch.delivery, batch.windowStart)))
        )[0]!.id;
      await tx
        .update(notifications)
        .set({ emailOutboxId: carrier })
        .where(
          inArray(
            notifications.id,
            batch.notifications.map((n) => n.id),
          ),
        );
      if (inserted.length) queued += 1;
    }
    return { queued };
  });
}

/** Names the emails speak of: authors, the resources commented on, workspaces. */
async function namesFor(
  tx: Reader,
  list: { actorId: string | null; workspaceId: string | null; targetType: string; targetId: string; body: string }[],
): Promise<{ people: Map<string, string>; places: Map<string, string>; workspaces: Map<string, string> }> {
  const ids = (pick: (n: (typeof list)[number]) => string | null) => [...new Set(list.map(pick).filter((v): v is string => v !== null))];
  const of = (type: string) => ids((n) => (n.targetType === type ? n.targetId : null));
  const people = new Map<string, string>();
  const actorIds = [...new Set([...ids((n) => n.actorId), ...list.flatMap((n) => mentionedUserIds(n.body))])];
  if (actorIds.length)
    for (const u of await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, actorIds)))
      people.set(u.id, u.name);
  const spaces = new Map<string, string>();
  const workspaceIds = ids((n) => n.workspaceId);
  if (workspaceIds.length)
    for (const w of await tx
      .select({ id: workspaces.id, name: workspaces.name })
      .from(workspaces)
      .where(inArray(workspaces.id, workspaceIds)))
      spaces.set(w.id, w.name);
  const places = new Map<string, string>();
  const add = (type: string, rows: { id: string; name: string }[]) => {
    for (const r of rows) places.set(`${type}:${r.id}`, r.name);
  };
  if (of("protocol").length)
    add(
      "protocol",
      await tx
        .select({ id: protocols.id, name: protocols.title })
        .from(protocols)
        .where(inArray(protocols.id, of("protocol"))),
    );
  if (of("panel").length)
    add(
      "panel",
      await tx
        .select({ id: panels.id, name: panels.name })
        .from(panels)
        .where(inArray(panels.id, of("panel"))),
    );
  if (of("study").length)
    add(
      "study",
      await tx
        .select({ id: studies.id, name: studies.title })
        .from(studies)
        .where(inArray(studies.id, of("study"))),
    );
  if (of("dataset").length)
    add(
      "dataset",
      await tx
        .select({ id: datasets.id, name: datasets.name })
        .from(datasets)
        .where(inArray(datasets.id, of("dataset"))),
    );
  if (of("goal").length)
    add(
      "goal",
      await tx
        .select({ id: goals.id, name: goals.title })
        .from(goals)
        .where(inArray(goals.id, of("goal"))),
    );
  return { people, places, workspaces: spaces };
}
