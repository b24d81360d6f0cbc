/**
 * In-app notifications, per user. Sending is idempotent by `dedupeKey`: the
 * same notice sent twice (or again after a restart) is stored once. They are
 * not workspace events and stay out of the audit trail
 * (docs/decisions/007-reminders-outside-the-audit-trail.md).
 */
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { notifications, type Notification } from "#db/schema.ts";
import type { PublicUser } from "./accounts.server.ts";
import { newId } from "./crypto.server.ts";
import { notFound } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";

export interface NewNotification {
  userId: string;
  workspaceId: string | null;
  kind: string;
  target: { type: string; id: string };
  title: string;
  body?: string;
  dedupeKey: string;
  /** Who caused it, for the email's sentence ("Ana mentioned you …"). */
  actorId?: string;
}

/** Stores a notification unless one with the same dedupeKey exists; true when it was new. */
export async function notify(tx: Transaction, n: NewNotification, now = new Date()): Promise<boolean> {
  const inserted = await tx
    .insert(notifications)
    .values({
      id: newId(),
      userId: n.userId,
      workspaceId: n.workspaceId,
      kind: n.kind,
      targetType: n.target.type,
      targetId: n.target.id,
      title: n.title,
      body: n.body ?? "",
      createdAt: now,
      dedupeKey: n.dedupeKey,
      actorId: n.actorId ?? null,
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return inserted.length > 0;
}

export async function listNotifications(user: PublicUser, limit = 100): Promise<Notification[]> {
  return await getDb()
    .select()
    .from(notifications)
    .where(eq(notifications.userId, user.id))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function unreadNotificationCount(userId: string): Promise<number> {
  return (
    await getDb()
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  )[0]!.n;
}

/** Marks one of the caller's notifications read (someone else's is 404). Reading twice keeps the first time. */
export async function markRead(user: PublicUser, notificationId: string, now = new Date()): Promise<Notification> {
  return await writeTransaction(async ({ tx }) => {
    const row = (await tx.select().from(notifications).where(eq(notifications.id, notificationId)))[0];
    if (!row || row.userId !== user.id) throw notFound("No notification with this id.");
    if (row.readAt) return row;
    return (await tx.update(notifications).set({ readAt: now }).where(eq(notifications.id, notificationId)).returning())[0];
  });
}
