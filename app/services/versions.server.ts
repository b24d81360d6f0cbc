/**
 * What every versioned record shares: an edit carries the version it was based
 * on, and a stale one is refused rather than silently overwriting someone
 * else's change (docs/architecture.md, "Concurrency"); and a history is read newest
 * first, a page at a time.
 */
import { and, desc, eq, lt } from "drizzle-orm";
import type { Reader } from "#db/client.ts";
import { panelVersions, protocolVersions, users } from "#db/schema.ts";
import type { VersionEntry } from "#app/public-shapes/versions.ts";
import { conflict } from "./errors.server.ts";

export interface StaleEditRefusal {
  /** What is edited, for the default message: "study", "goal", … */
  what: string;
  /** The record as it now is, in its public shape: the client merges with it (computed only when refusing). */
  current: () => unknown | Promise<unknown>;
  /** A message of the record's own instead of the default one. */
  message?: string;
  /** A sentence for `details[0].message`. */
  detail?: string;
}

/** Refuses (409) an edit based on a version that is no longer the current one; `details[0]` carries the current version and record. */
export async function rejectStaleEdit(baseVersion: number, currentVersion: number, refusal: StaleEditRefusal): Promise<void> {
  if (baseVersion === currentVersion) return;
  const message =
    refusal.message ??
    `This ${refusal.what} was changed by someone else (now version ${currentVersion}). Review it and apply your change again.`;
  throw conflict(message, [{ ...(refusal.detail ? { message: refusal.detail } : {}), currentVersion, current: await refusal.current() }]);
}

/** The version tables whose history is listed, by what owns the versions. */
const HISTORIES = {
  panel: { table: panelVersions, owner: panelVersions.panelId },
  protocol: { table: protocolVersions, owner: protocolVersions.protocolId },
};

/**
 * A page of a record's history, newest first: the versions below `before`
 * (all when it is left out), at most `limit`. nextCursor is the last version
 * listed, the `before` of the next page; null on the last page.
 */
export async function versionHistoryPage(
  db: Reader,
  kind: keyof typeof HISTORIES,
  ownerId: string,
  page: { before?: number; limit: number },
): Promise<{ items: VersionEntry[]; nextCursor: string | null }> {
  const { table, owner } = HISTORIES[kind];
  const rows = await db
    .select({ version: table.version, note: table.note, authorId: table.authorId, authorName: users.name, createdAt: table.createdAt })
    .from(table)
    .innerJoin(users, eq(users.id, table.authorId))
    .where(and(eq(owner, ownerId), page.before ? lt(table.version, page.before) : undefined))
    .orderBy(desc(table.version))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((r) => ({
    version: r.version,
    note: r.note,
    author: { id: r.authorId, name: r.authorName },
    createdAt: r.createdAt,
  }));
  return { items, nextCursor: rows.length > page.limit ? String(items[items.length - 1].version) : null };
}
