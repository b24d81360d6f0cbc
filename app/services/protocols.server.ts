/**
 * Protocols: markdown documents where every save is a new immutable version.
 * An edit carries the version it was based on; a stale base is refused with
 * 409 and the current text, so nothing is ever silently overwritten.
 */
import { pageOf } from "#app/schemas/paging.ts";
import { and, asc, eq } from "drizzle-orm";
import { getDb, type Reader, type Transaction } from "#db/client.ts";
import { protocols, protocolVersions, users, type Protocol } from "#db/schema.ts";
import { alias } from "#db/schema/columns.ts";
import { renderMarkdown } from "#app/domain/markdown.ts";
import { canChangeStatus, type ProtocolStatus } from "#app/domain/protocol-status.ts";
import { documentFromUpdates, editTowards, textOfUpdates } from "#app/domain/live-document.ts";
import { diffTexts } from "#app/domain/text-diff.ts";
import {
  CreateProtocolInput,
  DiffQuery,
  ProtocolListQuery,
  SaveVersionInput,
  UpdateProtocolInput,
  VersionsQuery,
} from "#app/schemas/protocols.ts";
import type { Person, PublicUser } from "#app/public-shapes/accounts.ts";
import {
  type ConflictDetail,
  protocolCurrentJson,
  type ProtocolDiff,
  type ProtocolSummary,
  type ProtocolView,
  type VersionSummary,
  type VersionView,
} from "#app/public-shapes/protocols.ts";
import { newId } from "./crypto.server.ts";
import { forbidden, notFound, unprocessable } from "./errors.server.ts";
import { type Writer, writeTransaction } from "./events.server.ts";
import { appendUpdate, draftState, ensureDraft, liveDraftOf, rebaseDraft } from "./protocol-draft-store.server.ts";
import { publishDraftUpdate } from "./realtime-hub.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";
import { rejectStaleEdit, versionHistoryPage } from "./versions.server.ts";

export type { ConflictDetail, Person, ProtocolDiff, ProtocolSummary, ProtocolView, VersionSummary, VersionView };

const approver = alias(users, "approver");
const creator = alias(users, "creator");

export function summarise(p: Protocol): ProtocolSummary {
  return {
    id: p.id,
    title: p.title,
    status: p.status,
    version: p.version,
    approvedVersion: p.approvedVersion,
    forkedFrom:
      p.forkedFromProtocolId && p.forkedFromWorkspaceId && p.forkedFromVersion
        ? { protocolId: p.forkedFromProtocolId, workspaceId: p.forkedFromWorkspaceId, version: p.forkedFromVersion }
        : null,
    updatedAt: p.updatedAt,
  };
}

/** The protocol row; 404 when it is not in this workspace (an id from elsewhere is as good as unknown). */
export async function loadProtocolRow(db: Reader, workspaceId: string, protocolId: string): Promise<Protocol> {
  const row = (
    await db
      .select()
      .from(protocols)
      .where(and(eq(protocols.id, protocolId), eq(protocols.workspaceId, workspaceId)))
  )[0];
  if (!row) throw notFound("No protocol with this id in this workspace.");
  return row;
}

async function loadVersion(db: Reader, protocolId: string, version: number): Promise<VersionView> {
  const row = (
    await db
      .select({ v: protocolVersions, authorName: users.name })
      .from(protocolVersions)
      .innerJoin(users, eq(users.id, protocolVersions.authorId))
      .where(and(eq(protocolVersions.protocolId, protocolId), eq(protocolVersions.version, version)))
  )[0];
  if (!row) throw notFound(`This protocol has no version ${version}.`);
  const { html, headings } = renderMarkdown(row.v.body);
  return {
    protocolId,
    version: row.v.version,
    body: row.v.body,
    note: row.v.note,
    author: { id: row.v.authorId, name: row.authorName },
    createdAt: row.v.createdAt,
    html,
    headings,
  };
}

export async function loadProtocol(db: Reader, workspaceId: string, protocolId: string): Promise<ProtocolView> {
  const row = (
    await db
      .select({ p: protocols, creatorName: creator.name, approverName: approver.name })
      .from(protocols)
      .innerJoin(creator, eq(creator.id, protocols.createdBy))
      .leftJoin(approver, eq(approver.id, protocols.approvedBy))
      .where(and(eq(protocols.id, protocolId), eq(protocols.workspaceId, workspaceId)))
  )[0];
  if (!row) throw notFound("No protocol with this id in this workspace.");
  const p = row.p;
  const current = await loadVersion(db, p.id, p.version);
  return {
    ...summarise(p),
    workspaceId: p.workspaceId,
    approvedBy: p.approvedBy ? { id: p.approvedBy, name: row.approverName ?? "Unknown" } : null,
    approvedAt: p.approvedAt,
    createdBy: { id: p.createdBy, name: row.creatorName },
    createdAt: p.createdAt,
    current,
    draft: await liveDraftOf(db, p, current.body),
  };
}

/** Inserts a protocol with its first version (used by create and by fork). */
export async function insertProtocol(
  tx: Transaction,
  values: { workspaceId: string; title: string; body: string; note: string | null; authorId: string; now: Date } & Partial<
    Pick<Protocol, "forkedFromProtocolId" | "forkedFromWorkspaceId" | "forkedFromVersion">
  >,
): Promise<Protocol> {
  const { body, note, authorId, now, ...rest } = values;
  const protocol = (
    await tx
      .insert(protocols)
      .values({ ...rest, id: newId(), status: "draft", version: 1, createdBy: authorId, createdAt: now, updatedAt: now })
      .returning()
  )[0];
  await tx.insert(protocolVersions).values({ id: newId(), protocolId: protocol.id, version: 1, body, note, authorId, createdAt: now });
  return protocol;
}

export async function createProtocol(actor: PublicUser, workspaceId: string, input: unknown): Promise<ProtocolView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(CreateProtocolInput, input);
    const protocol = await insertProtocol(tx, {
      workspaceId,
      title: data.title,
      body: data.body,
      note: data.note ?? null,
      authorId: actor.id,
      now: new Date(),
    });
    await record({
      workspaceId,
      actorId: actor.id,
      type: "protocol.created",
      target: { type: "protocol", id: protocol.id },
      payload: { title: protocol.title, version: 1, note: data.note ?? null },
    });
    return await loadProtocol(tx, workspaceId, protocol.id);
  });
}

export async function listProtocols(actor: PublicUser, workspaceId: string, query: unknown = {}) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { status, offset, limit } = parseInput(ProtocolListQuery, query);
  const rows = (
    await getDb()
      .select()
      .from(protocols)
      .where(and(eq(protocols.workspaceId, workspaceId), status ? eq(protocols.status, status) : undefined))
      .orderBy(asc(protocols.title), asc(protocols.id))
      .limit(limit + 1)
      .offset(offset)
  ).map(summarise);
  return pageOf(rows, offset, limit);
}

export async function getProtocol(actor: PublicUser, workspaceId: string, protocolId: string): Promise<ProtocolView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadProtocol(getDb(), workspaceId, protocolId);
}

/** Refuses a stale edit with the current version's text (`details[0]` is a ConflictDetail), so the client can show both texts and merge. */
async function rejectStaleProtocolEdit(db: Reader, protocol: Protocol, baseVersion: number): Promise<void> {
  await rejectStaleEdit(baseVersion, protocol.version, {
    what: "protocol",
    message: `This protocol has changed: you edited version ${baseVersion}, but version ${protocol.version} is now current. Merge your changes into it and save again.`,
    detail: `Version ${protocol.version} is current.`,
    current: async () => protocolCurrentJson(protocol, await loadVersion(db, protocol.id, protocol.version)),
  });
}

/** Title (contributor or lead) and status (lead only), based on the current version. */
export async function updateProtocol(actor: PublicUser, workspaceId: string, protocolId: string, input: unknown): Promise<ProtocolView> {
  return await writeTransaction(async ({ tx, record }) => {
    const role = await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(UpdateProtocolInput, input);
    const protocol = await loadProtocolRow(tx, workspaceId, protocolId);
    const statusChanges = data.status !== undefined && data.status !== protocol.status;
    if (statusChanges && role !== "lead") throw forbidden("Only a lead may approve a protocol or change its status.");
    // A lead approves exactly the text they read: a newer version means they have not read it yet.
    await rejectStaleProtocolEdit(tx, protocol, data.baseVersion);
    if (statusChanges && !canChangeStatus(protocol.status, data.status!)) {
      throw unprocessable(`A ${protocol.status} protocol cannot become ${data.status}.`, [
        { field: "status", message: `A ${protocol.status} protocol cannot become ${data.status}.` },
      ]);
    }
    const titleChanges = data.title !== undefined && data.title !== protocol.title;
    if (titleChanges) refuseSuperseded(protocol);
    if (!statusChanges && !titleChanges) return await loadProtocol(tx, workspaceId, protocolId);

    const before: { title?: string; status?: ProtocolStatus } = {};
    const after: { title?: string; status?: ProtocolStatus } = {};
    const changes: Partial<Protocol> = { updatedAt: new Date() };
    if (titleChanges) {
      before.title = protocol.title;
      after.title = changes.title = data.title!;
    }
    if (statusChanges) {
      before.status = protocol.status;
      after.status = changes.status = data.status!;
      if (data.status === "approved") {
        changes.approvedVersion = protocol.version;
        changes.approvedBy = actor.id;
        changes.approvedAt = changes.updatedAt;
      }
    }
    await tx.update(protocols).set(changes).where(eq(protocols.id, protocolId));
    await record({
      workspaceId,
      actorId: actor.id,
      type: "protocol.updated",
      target: { type: "protocol", id: protocolId },
      payload: { title: changes.title ?? protocol.title, version: protocol.version, before, after },
    });
    return await loadProtocol(tx, workspaceId, protocolId);
  });
}

/**
 * A script's save (`POST …/versions` with `baseVersion`): the text is merged
 * into the live draft as an edit made on the base version, so whatever others
 * typed since stays, and the new version is cut from the merged text.
 */
export async function saveProtocolVersion(
  actor: PublicUser,
  workspaceId: string,
  protocolId: string,
  input: unknown,
): Promise<VersionView> {
  const { view, change } = await writeTransaction(async (writer) => {
    const { tx } = writer;
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(SaveVersionInput, input);
    const protocol = await loadProtocolRow(tx, workspaceId, protocolId);
    await rejectStaleProtocolEdit(tx, protocol, data.baseVersion);
    refuseSuperseded(protocol);
    await refuseUnchanged(tx, protocol, data.body);
    const draft = await ensureDraft(tx, protocol);
    const edit = editTowards(documentFromUpdates([draft.baseState]), data.body);
    await appendUpdate(tx, protocolId, actor.id, edit);
    const state = await draftState(tx, draft);
    const view = await addVersion(writer, actor, protocol, { body: textOfUpdates([state]), note: data.note ?? null, state });
    return { view, change: { workspaceId, protocolId, update: edit } };
  });
  publishDraftUpdate(change);
  return view;
}

export function refuseSuperseded(protocol: Pick<Protocol, "status">): void {
  if (protocol.status === "superseded") throw unprocessable("A superseded protocol is read-only; a lead can reopen it as a draft.");
}

/** Refuses to save as a new version the text the current version already has. */
export async function refuseUnchanged(db: Reader, protocol: Protocol, body: string): Promise<void> {
  const current = (
    await db
      .select({ body: protocolVersions.body })
      .from(protocolVersions)
      .where(and(eq(protocolVersions.protocolId, protocol.id), eq(protocolVersions.version, protocol.version)))
  )[0];
  if (current?.body === body) {
    throw unprocessable(`This text is the same as version ${protocol.version}: there is nothing new to save.`, [
      { field: "body", message: `This text is the same as version ${protocol.version}.` },
    ]);
  }
}

/** Cuts the next version with `body`, taken from the draft whose whole state is `state`; the draft is then based on it. */
export async function addVersion(
  { tx, record }: Writer,
  actor: PublicUser,
  protocol: Protocol,
  cut: { body: string; note: string | null; state: Uint8Array },
): Promise<VersionView> {
  const now = new Date();
  const version = protocol.version + 1;
  await tx
    .insert(protocolVersions)
    .values({ id: newId(), protocolId: protocol.id, version, body: cut.body, note: cut.note, authorId: actor.id, createdAt: now });
  // Approval belongs to the version a lead read: new text is a draft until approved again.
  const status: ProtocolStatus = protocol.status === "approved" ? "draft" : protocol.status;
  await tx.update(protocols).set({ version, status, updatedAt: now }).where(eq(protocols.id, protocol.id));
  await rebaseDraft(tx, protocol.id, version, cut.state);
  await record({
    workspaceId: protocol.workspaceId,
    actorId: actor.id,
    type: "protocol.version_added",
    target: { type: "protocol", id: protocol.id },
    payload: {
      title: protocol.title,
      version,
      previousVersion: protocol.version,
      note: cut.note,
      ...(status !== protocol.status ? { before: { status: protocol.status }, after: { status } } : {}),
    },
  });
  return await loadVersion(tx, protocol.id, version);
}

/** Versions newest first, a page at a time (`before` = the previous page's nextCursor). */
export async function listProtocolVersions(actor: PublicUser, workspaceId: string, protocolId: string, query: unknown = {}) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { before, limit } = parseInput(VersionsQuery, query);
  const db = getDb();
  await loadProtocolRow(db, workspaceId, protocolId);
  return await versionHistoryPage(db, "protocol", protocolId, { before, limit });
}

export async function getProtocolVersion(
  actor: PublicUser,
  workspaceId: string,
  protocolId: string,
  version: number,
): Promise<VersionView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  await loadProtocolRow(db, workspaceId, protocolId);
  if (!Number.isInteger(version) || version < 1) throw notFound("Versions are numbered 1, 2, 3, …");
  return await loadVersion(db, protocolId, version);
}

export async function diffProtocolVersions(
  actor: PublicUser,
  workspaceId: string,
  protocolId: string,
  query: unknown,
): Promise<ProtocolDiff> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { from, to } = parseInput(DiffQuery, query);
  const db = getDb();
  await loadProtocolRow(db, workspaceId, protocolId);
  const older = await loadVersion(db, protocolId, from);
  const newer = await loadVersion(db, protocolId, to);
  const summary = (v: VersionView): VersionSummary => ({ version: v.version, note: v.note, author: v.author, createdAt: v.createdAt });
  return { from: summary(older), to: summary(newer), diff: diffTexts(older.body, newer.body) };
}
