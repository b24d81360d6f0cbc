/**
 * The one write path: every change runs in `writeTransaction`, which records
 * its events in the same transaction and publishes them only after commit.
 */
import { eq } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { events, users, type EventRow } from "#db/schema.ts";
import type { EventType, PublicEvent } from "#app/domain/events.ts";
import { claimIdempotencyKey } from "./idempotency.server.ts";
import { publishEvent } from "./realtime-hub.server.ts";

export interface NewEvent {
  workspaceId: string | null;
  actorId: string;
  type: EventType;
  target: { type: string; id: string };
  payload?: Record<string, unknown>;
}

export interface Writer {
  tx: Transaction;
  /** Appends one event to the audit trail inside the running transaction. */
  record(event: NewEvent): PublicEvent;
}

export function writeTransaction<T>(work: (writer: Writer) => T): T {
  const recorded: PublicEvent[] = [];
  // better-sqlite3 transactions are synchronous: when this returns, it has committed
  // (a throw rolls everything back, and nothing is published).
  const result = getDb().transaction((tx) => {
    const value = work({ tx, record: (event) => appendEvent(tx, event, recorded) });
    // A request sent with an Idempotency-Key keeps its key with the change it made (decision 014).
    claimIdempotencyKey(tx, recorded[0]);
    return value;
  });
  for (const event of recorded) publishEvent(event);
  return result;
}

function appendEvent(tx: Transaction, event: NewEvent, pending: PublicEvent[]): PublicEvent {
  const row = tx
    .insert(events)
    .values({
      workspaceId: event.workspaceId,
      actorId: event.actorId,
      type: event.type,
      targetType: event.target.type,
      targetId: event.target.id,
      payload: event.payload ?? {},
      createdAt: new Date(),
    })
    .returning()
    .get();
  const actor = tx.select({ name: users.name }).from(users).where(eq(users.id, event.actorId)).get();
  const published = toPublicEvent(row, actor?.name ?? "Unknown");
  pending.push(published);
  return published;
}

export function toPublicEvent(row: EventRow, actorName: string): PublicEvent {
  return {
    id: String(row.id),
    workspaceId: row.workspaceId,
    type: row.type as EventType,
    actor: { id: row.actorId, name: actorName },
    target: { type: row.targetType, id: row.targetId },
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
  };
}
