/** Reading the audit trail: in id order for scripts and replay, newest first for people, and as CSV. */
import { and, desc, asc, eq, gt, lt, type SQL } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { events, users } from "#db/schema.ts";
import { EVENT_TYPES, type EventType, type PublicEvent } from "#app/domain/events.ts";
import { toSafeCsv } from "#app/domain/spreadsheet-safety.ts";
import { EventsQuery } from "#app/schemas/workspaces.ts";
import type { PublicUser } from "./accounts.server.ts";
import { toPublicEvent, writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

async function selectEvents(where: SQL | undefined, order: "asc" | "desc", limit?: number): Promise<PublicEvent[]> {
  const query = getDb()
    .select({ event: events, actorName: users.name })
    .from(events)
    .innerJoin(users, eq(users.id, events.actorId))
    .where(where)
    .orderBy(order === "asc" ? asc(events.id) : desc(events.id));
  const rows = await (limit === undefined ? query : query.limit(limit));
  return rows.map((r) => toPublicEvent(r.event, r.actorName));
}

/**
 * Events of a workspace after an id, oldest first: the API's audit trail and
 * the live channel's replay. Membership is checked by the caller of this
 * function when it is not the service below.
 */
export async function eventsAfter(workspaceId: string, afterId: number, limit?: number): Promise<PublicEvent[]> {
  return selectEvents(and(eq(events.workspaceId, workspaceId), gt(events.id, afterId)), "asc", limit);
}

/** The id of the newest event of a workspace ("0" when there is none): where a live page starts listening. */
export async function latestEventId(workspaceId: string): Promise<string> {
  const row = (
    await getDb().select({ id: events.id }).from(events).where(eq(events.workspaceId, workspaceId)).orderBy(desc(events.id)).limit(1)
  )[0];
  return String(row?.id ?? 0);
}

export async function listEvents(actor: PublicUser, workspaceId: string, query: unknown) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { after, limit } = parseInput(EventsQuery, query);
  const page = await eventsAfter(workspaceId, after, limit + 1);
  const items = page.slice(0, limit);
  return { items, nextCursor: page.length > limit ? items[items.length - 1].id : null };
}

/** A page of the trail for people: newest first, optionally one type, before a cursor id. */
export async function listRecentEvents(
  actor: PublicUser,
  workspaceId: string,
  options: { before?: number; type?: EventType; limit?: number },
) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const limit = options.limit ?? 50;
  const conditions = [eq(events.workspaceId, workspaceId)];
  if (options.before) conditions.push(lt(events.id, options.before));
  if (options.type) conditions.push(eq(events.type, options.type));
  const page = await selectEvents(and(...conditions), "desc", limit + 1);
  const items = page.slice(0, limit);
  return { items, nextCursor: page.length > limit ? items[items.length - 1].id : null };
}

const CSV_COLUMNS = ["id", "time", "actor_id", "actor_name", "type", "description", "target_type", "target_id", "payload"];

/**
 * The whole trail as CSV. The export is itself recorded, and the file
 * includes that record, so the trail shows who took a copy and when.
 */
export async function exportAuditCsv(actor: PublicUser, workspaceId: string): Promise<string> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  await writeTransaction(
    async ({ record }) =>
      await record({
        workspaceId,
        actorId: actor.id,
        type: "audit.exported",
        target: { type: "workspace", id: workspaceId },
        payload: { format: "csv" },
      }),
  );
  return await auditTrailCsv(workspaceId);
}

/** The whole trail of a workspace as CSV text (no permission check: callers check). */
export async function auditTrailCsv(workspaceId: string): Promise<string> {
  const rows = (await eventsAfter(workspaceId, 0)).map((e) => [
    e.id,
    e.createdAt,
    e.actor.id,
    e.actor.name,
    e.type,
    EVENT_TYPES[e.type] ?? e.type,
    e.target.type,
    e.target.id,
    JSON.stringify(e.payload),
  ]);
  return toSafeCsv([CSV_COLUMNS, ...rows]);
}
