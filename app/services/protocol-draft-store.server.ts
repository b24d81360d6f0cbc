/**
 * Where a protocol's live draft is kept (docs/decisions/024): a snapshot, the
 * updates appended since, and who has edited since the base version. Storage
 * only: the permission checks and events are the callers' (protocol-drafts.server.ts).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import * as Y from "yjs";
import type { Reader, Transaction } from "#db/client.ts";
import {
  protocolDraftEditors,
  protocolDraftUpdates,
  protocolDrafts,
  protocolVersions,
  users,
  type Protocol,
  type ProtocolDraft,
} from "#db/schema.ts";
import { documentFromText, documentFromUpdates, liveText, textOfUpdates } from "#app/domain/live-document.ts";
import type { Person } from "#app/public-shapes/accounts.ts";
import { env } from "#app/env.server.ts";

/** A spell of editing ends after this long without an edit from the same person: the next edit starts another. */
const QUIET_SPELL_MS = 60_000;

/** How members see the live draft beside the versions. */
export interface LiveDraftView {
  /** The live text (the current version's text while nobody has edited). */
  text: string;
  /** The version the draft started from or was last cut into. */
  sinceVersion: number;
  /** Who edited since that version, most recent first. */
  editedBy: Person[];
  editedAt: Date | null;
}

const asBytes = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

async function draftRow(db: Reader, protocolId: string): Promise<ProtocolDraft | undefined> {
  return (await db.select().from(protocolDrafts).where(eq(protocolDrafts.protocolId, protocolId)))[0];
}

async function pendingUpdates(db: Reader, protocolId: string) {
  return await db
    .select({ id: protocolDraftUpdates.id, update: protocolDraftUpdates.update })
    .from(protocolDraftUpdates)
    .where(eq(protocolDraftUpdates.protocolId, protocolId))
    .orderBy(asc(protocolDraftUpdates.id));
}

/** The draft's row, started from the protocol's current version when nobody has opened it yet. */
export async function ensureDraft(tx: Transaction, protocol: Protocol): Promise<ProtocolDraft> {
  const existing = await draftRow(tx, protocol.id);
  if (existing) return existing;
  const [current] = await tx
    .select({ body: protocolVersions.body })
    .from(protocolVersions)
    .where(and(eq(protocolVersions.protocolId, protocol.id), eq(protocolVersions.version, protocol.version)));
  const state = asBytes(Y.encodeStateAsUpdate(documentFromText(current?.body ?? "")));
  const now = new Date();
  // Another process may start the same draft at the same moment: its bytes are the same (documentFromText), and the first row stays.
  await tx
    .insert(protocolDrafts)
    .values({ protocolId: protocol.id, snapshot: state, baseVersion: protocol.version, baseState: state, updatedAt: now })
    .onConflictDoNothing();
  return (await draftRow(tx, protocol.id))!;
}

/**
 * The draft's whole state as one encoded update. Applied to a document and
 * encoded once, not merged with Y.mergeUpdates: merging grows far faster than
 * the number of updates (10,000 took 9.6 s against about 1 s applied).
 */
export async function draftState(db: Reader, draft: ProtocolDraft): Promise<Uint8Array> {
  const updates = await pendingUpdates(db, draft.protocolId);
  if (updates.length === 0) return draft.snapshot;
  return Y.encodeStateAsUpdate(documentFromUpdates([draft.snapshot, ...updates.map((u) => u.update)]));
}

/** The live text of a protocol's draft, or null when nobody has opened one. */
export async function liveDraftText(db: Reader, protocolId: string): Promise<string | null> {
  const draft = await draftRow(db, protocolId);
  return draft ? textOfUpdates([await draftState(db, draft)]) : null;
}

/** What members see of the draft; `currentBody` is the current version's text, the draft's text until someone opens it. */
export async function liveDraftOf(db: Reader, protocol: Protocol, currentBody: string): Promise<LiveDraftView> {
  const draft = await draftRow(db, protocol.id);
  if (!draft) return { text: currentBody, sinceVersion: protocol.version, editedBy: [], editedAt: null };
  const updates = await pendingUpdates(db, protocol.id);
  const doc = documentFromUpdates([draft.snapshot, ...updates.map((u) => u.update)]);
  const editors = await db
    .select({ id: users.id, name: users.name, lastEditAt: protocolDraftEditors.lastEditAt })
    .from(protocolDraftEditors)
    .innerJoin(users, eq(users.id, protocolDraftEditors.userId))
    .where(eq(protocolDraftEditors.protocolId, protocol.id));
  editors.sort((a, b) => b.lastEditAt.getTime() - a.lastEditAt.getTime());
  return {
    text: liveText(doc).toString(),
    sinceVersion: draft.baseVersion,
    editedBy: editors.map(({ id, name }) => ({ id, name })),
    editedAt: editors[0]?.lastEditAt ?? null,
  };
}

/**
 * Appends one update and notes its author as an editor since the base
 * version. True when the update starts the author's spell of editing (their
 * first edit since the base version, or the first after a quiet minute).
 */
export async function appendUpdate(tx: Transaction, protocolId: string, authorId: string, update: Uint8Array, now = new Date()) {
  await tx.insert(protocolDraftUpdates).values({ protocolId, update: asBytes(update), authorId, createdAt: now });
  const [editor] = await tx
    .select()
    .from(protocolDraftEditors)
    .where(and(eq(protocolDraftEditors.protocolId, protocolId), eq(protocolDraftEditors.userId, authorId)));
  if (!editor) {
    await tx.insert(protocolDraftEditors).values({ protocolId, userId: authorId, firstEditAt: now, lastEditAt: now });
    return true;
  }
  await tx
    .update(protocolDraftEditors)
    .set({ lastEditAt: now })
    .where(and(eq(protocolDraftEditors.protocolId, protocolId), eq(protocolDraftEditors.userId, authorId)));
  return now.getTime() - editor.lastEditAt.getTime() >= QUIET_SPELL_MS;
}

/** After a version is cut from the draft: the draft is now based on it, and nobody has edited since. */
export async function rebaseDraft(tx: Transaction, protocolId: string, version: number, state: Uint8Array): Promise<void> {
  await tx
    .update(protocolDrafts)
    .set({ baseVersion: version, baseState: asBytes(state), updatedAt: new Date() })
    .where(eq(protocolDrafts.protocolId, protocolId));
  await tx.delete(protocolDraftEditors).where(eq(protocolDraftEditors.protocolId, protocolId));
}

/** True when enough updates have piled up that the next reader would rather find them folded into the snapshot. */
export async function compactionDue(db: Reader, protocolId: string): Promise<boolean> {
  const threshold = env().DRAFT_COMPACTION_UPDATES;
  if (threshold === 0) return false;
  const rows = await db
    .select({ id: protocolDraftUpdates.id })
    .from(protocolDraftUpdates)
    .where(eq(protocolDraftUpdates.protocolId, protocolId))
    .limit(threshold);
  return rows.length >= threshold;
}

/**
 * Folds the appended updates into the snapshot (garbage-collecting deleted
 * text) and deletes exactly the rows it folded; an update appended meanwhile
 * stays for the next time. The write goes through only over the snapshot it
 * read (`revision`), so two processes compacting at once cannot drop each
 * other's updates. Answers the number of updates folded.
 */
export async function compactDraft(tx: Transaction, protocolId: string): Promise<number> {
  const draft = await draftRow(tx, protocolId);
  if (!draft) return 0;
  const updates = await pendingUpdates(tx, protocolId);
  if (updates.length === 0) return 0;
  const doc = documentFromUpdates([draft.snapshot, ...updates.map((u) => u.update)]);
  const written = await tx
    .update(protocolDrafts)
    .set({ snapshot: asBytes(Y.encodeStateAsUpdate(doc)), revision: draft.revision + 1, updatedAt: new Date() })
    .where(and(eq(protocolDrafts.protocolId, protocolId), eq(protocolDrafts.revision, draft.revision)))
    .returning({ revision: protocolDrafts.revision });
  if (written.length === 0) return 0;
  const ids = updates.map((u) => u.id);
  for (let i = 0; i < ids.length; i += 500) {
    await tx.delete(protocolDraftUpdates).where(inArray(protocolDraftUpdates.id, ids.slice(i, i + 500)));
  }
  return updates.length;
}
