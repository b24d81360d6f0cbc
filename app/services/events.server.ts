/**
 * The one write path: every change runs in `writeTransaction`, which records
 * its events in the same transaction and publishes them only after commit.
 */
import { eq } from "drizzle-orm";
import { connection, transaction, type Transaction } from "#db/client.ts";
import { events, users, type EventRow } from "#db/schema.ts";
import type { EventPayloads, EventType, PublicEvent } from "#app/domain/events.ts";
import { claimIdempotencyKey } from "./idempotency.server.ts";
import { publishEvent } from "./realtime-hub.server.ts";
import { reindexTargets } from "./search-index.server.ts";

/** An event to record, its payload checked against its type's entry in EventPayloads. */
export type NewEvent<T extends EventType = EventType> = {
  [K in T]: {
    workspaceId: string | null;
    actorId: string;
    type: K;
    target: { type: string; id: string };
  } & PayloadField<EventPayloads[K]>;
}[T];
/** The type and payload of an event, for a helper that fills in the rest. */
export type EventChange<T extends EventType = EventType> = { [K in T]: { type: K } & PayloadField<EventPayloads[K]> }[T];
/** A type whose payload is empty may leave it out (it is stored as `{}`). */
type PayloadField<P> = Record<string, never> extends P ? { payload?: P } : { payload: P };

export interface Writer {
  tx: Transaction;
  /** Appends one event to the audit trail inside the running transaction. */
  record<T extends EventType>(event: NewEvent<T>): Promise<PublicEvent>;
}

/** Events recorded by each running write, by its transaction: a nested write adds to its outer write's. */
const pendingEvents = new WeakMap<Transaction, PublicEvent[]>();

/**
 * Runs `work` in one transaction (db/client.ts: serialised, retried on
 * PostgreSQL when a concurrent one forces it) and publishes the events it
 * recorded once it has committed; a throw rolls everything back and publishes
 * nothing. A write inside a running one joins it, and its events are
 * published when the outer write commits.
 */
export async function writeTransaction<T>(work: (writer: Writer) => Promise<T>): Promise<T> {
  let committed: PublicEvent[] = [];
  const result = await transaction(async (tx) => {
    const outer = pendingEvents.get(tx);
    if (outer) return work({ tx, record: (event) => appendEvent(tx, event, outer) });
    // Each attempt starts over: only the attempt that commits is published.
    const recorded: PublicEvent[] = [];
    pendingEvents.set(tx, recorded);
    try {
      const value = await work({ tx, record: (event) => appendEvent(tx, event, recorded) });
      // The search index changes with what the events name, in this transaction (decision 023): after
      // the work, so it reads the things as they will be committed, whatever order the service wrote in.
      await reindexTargets(tx, recorded);
      // A request sent with an Idempotency-Key keeps its key with the change it made (decision 014).
      await claimIdempotencyKey(tx, recorded[0]);
      committed = recorded;
      return value;
    } finally {
      pendingEvents.delete(tx);
    }
  });
  for (const event of committed) publishEvent(event);
  return result;
}

async function appendEvent<T extends EventType>(tx: Transaction, event: NewEvent<T>, pending: PublicEvent[]): Promise<PublicEvent> {
  // Ids of one workspace's events must become visible in order (the live feed and replay rely on it).
  if (event.workspaceId) await connection().lockEventFeed(tx, event.workspaceId);
  const [row] = await tx
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
    .returning();
  const [actor] = await tx.select({ name: users.name }).from(users).where(eq(users.id, event.actorId));
  const published = toPublicEvent(row, actor?.name ?? "Unknown");
  pending.push(published);
  return published;
}

export function toPublicEvent(row: EventRow, actorName: string): PublicEvent {
  // The row was written through `record`, which checked its payload against its type.
  return {
    id: String(row.id),
    workspaceId: row.workspaceId,
    type: row.type,
    actor: { id: row.actorId, name: actorName },
    target: { type: row.targetType, id: row.targetId },
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
  } as PublicEvent;
}
