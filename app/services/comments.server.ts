/**
 * Comments and threads on anything in a workspace. Any member may comment
 * (observers too); only the author edits; the author or a lead deletes; a
 * thread's author or a contributor/lead resolves and reopens it.
 */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { getDb, rawRows, type Reader, type Transaction } from "#db/client.ts";
import { commentMentions, comments, memberships, users, type Comment } from "#db/schema.ts";
import type { CommentTargetType } from "#app/domain/comments.ts";
import type { CommentView } from "#app/domain/comments.ts";
import { mentionedUserIds, mentionsAsMarkdown } from "#app/domain/mentions.ts";
import { renderMarkdown } from "#app/domain/markdown.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { CommentsQuery, CreateCommentInput, EditCommentInput } from "#app/schemas/comments.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { newId } from "./crypto.server.ts";
import { forbidden, notFound, unprocessable, validationFailed } from "./errors.server.ts";
import { writeTransaction, type EventChange, type Writer } from "./events.server.ts";
import type { CommentEventType } from "#app/domain/events.ts";
import { notify, unreadNotificationCount } from "./notifications.server.ts";
import { publishUserNotice } from "./realtime-hub.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

/** The table each kind of target lives in; a comment may only point at a row of this workspace. */
const TARGET_TABLES: Record<CommentTargetType, string> = {
  protocol: "protocols",
  panel: "panels",
  study: "studies",
  dataset: "datasets",
  result: "results",
  goal: "goals",
};

type Db = Reader;

/** Rows of a target table that exist for readers (a dataset still being imported does not). */
const TARGET_VISIBLE: Partial<Record<CommentTargetType, ReturnType<typeof sql>>> = {
  dataset: sql`and status = 'ready'`,
};

async function requireTarget(db: Db, workspaceId: string, type: CommentTargetType, id: string) {
  const [row] = await rawRows<{ workspace_id: string }>(
    sql`select workspace_id from ${sql.identifier(TARGET_TABLES[type])} where id = ${id} ${TARGET_VISIBLE[type] ?? sql``}`,
    db,
  );
  if (!row || row.workspace_id !== workspaceId) throw notFound(`No ${type} with this id in this workspace.`);
}

interface Names {
  /** Authors and resolvers, members or not. */
  people: Map<string, string>;
  /** The people mentioned who are members of the workspace now: a mention shows their current name. */
  mentioned: Map<string, string>;
}

/** Display names of the people a set of comments involves, in two queries. */
async function namesFor(db: Db, list: Comment[]): Promise<Names> {
  const ids = [...new Set(list.flatMap((c) => (c.resolvedBy ? [c.authorId, c.resolvedBy] : [c.authorId])))];
  const people = ids.length
    ? new Map((await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name]))
    : new Map<string, string>();
  const mentionedIds = [...new Set(list.flatMap((c) => mentionedUserIds(c.body)))];
  const mentioned = mentionedIds.length
    ? new Map(
        (
          await db
            .select({ id: users.id, name: users.name })
            .from(memberships)
            .innerJoin(users, eq(users.id, memberships.userId))
            .where(and(eq(memberships.workspaceId, list[0].workspaceId), inArray(memberships.userId, mentionedIds)))
        ).map((u) => [u.id, u.name]),
      )
    : new Map<string, string>();
  return { people, mentioned };
}

function person(names: Names, userId: string | null) {
  return userId ? { id: userId, name: names.people.get(userId) ?? "Former member" } : null;
}

async function toView(db: Db, c: Comment, known?: Names): Promise<CommentView> {
  const names = known ?? (await namesFor(db, [c]));
  const deleted = c.deletedAt !== null;
  return {
    id: c.id,
    workspaceId: c.workspaceId,
    target: { type: c.targetType, id: c.targetId, anchor: c.anchor ?? null },
    parentId: c.parentId,
    body: deleted ? "" : c.body,
    bodyHtml: deleted ? "" : renderMarkdown(mentionsAsMarkdown(c.body, (id) => names.mentioned.get(id))).html,
    author: person(names, c.authorId)!,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    deleted,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    resolvedBy: person(names, c.resolvedBy),
    version: c.version,
  };
}

async function loadComment(db: Db, workspaceId: string, commentId: string): Promise<Comment> {
  const c = (await db.select().from(comments).where(eq(comments.id, commentId)))[0];
  if (!c || c.workspaceId !== workspaceId) throw notFound("No comment with this id in this workspace.");
  return c;
}

/** Records a comment event; its payload carries the comment itself, so open pages patch it in without reloading. */
async function recordChange(writer: Writer, actor: PublicUser, view: CommentView, change: EventChange<CommentEventType>) {
  await writer.record({
    workspaceId: view.workspaceId,
    actorId: actor.id,
    target: { type: "comment", id: view.id },
    ...change,
  });
}

export async function createComment(actor: PublicUser, workspaceId: string, input: unknown): Promise<CommentView> {
  const { view, notified } = await writeTransaction(async (writer) => {
    const { tx } = writer;
    await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const data = parseInput(CreateCommentInput, input);
    await requireTarget(tx, workspaceId, data.target.type, data.target.id);
    let parentId: string | null = null;
    if (data.parentId) {
      const parent = await loadComment(tx, workspaceId, data.parentId);
      if (parent.targetType !== data.target.type || parent.targetId !== data.target.id) {
        throw validationFailed("parentId: the comment replied to is on another resource.", [
          { field: "parentId", message: "The comment replied to is on another resource." },
        ]);
      }
      // Replies to a reply join the same thread.
      parentId = parent.parentId ?? parent.id;
    }
    const row = {
      id: newId(),
      workspaceId,
      targetType: data.target.type,
      targetId: data.target.id,
      anchor: parentId ? null : (data.target.anchor ?? null),
      parentId,
      body: data.body,
      authorId: actor.id,
      createdAt: new Date(),
    };
    await tx.insert(comments).values(row);
    const mentioned = await mentionedMembers(tx, workspaceId, data.body, actor.id);
    if (mentioned.length) await tx.insert(commentMentions).values(mentioned.map((userId) => ({ commentId: row.id, userId })));
    const view = await toView(tx, await loadComment(tx, workspaceId, row.id));
    await recordChange(writer, actor, view, { type: "comment.created", payload: { comment: view, mentions: mentioned } });
    const notified = await notifyMentionsAndReplies(tx, actor, view, mentioned);
    return { view, notified };
  });
  for (const userId of notified) publishUserNotice({ userId, unreadNotifications: await unreadNotificationCount(userId) });
  return view;
}

/**
 * The inbox side of a comment: everyone it mentions, and everyone else already
 * in the thread it replies to. Returns who got something new.
 */
async function notifyMentionsAndReplies(tx: Transaction, actor: PublicUser, comment: CommentView, mentioned: string[]): Promise<string[]> {
  const where = `a ${comment.target.type}`;
  const notified: string[] = [];
  for (const userId of mentioned) {
    const fresh = await notify(tx, {
      userId,
      workspaceId: comment.workspaceId,
      kind: "mention",
      target: { type: comment.target.type, id: comment.target.id },
      title: `${actor.name} mentioned you in a comment on ${where}`,
      body: comment.body.slice(0, 280),
      dedupeKey: `mention:${comment.id}:${userId}`,
      actorId: actor.id,
    });
    if (fresh) notified.push(userId);
  }
  if (comment.parentId) {
    const participants = (
      await tx
        .select({ authorId: comments.authorId })
        .from(comments)
        .where(or(eq(comments.id, comment.parentId), eq(comments.parentId, comment.parentId)))
    ).map((c) => c.authorId);
    for (const userId of new Set(participants)) {
      if (userId === actor.id || mentioned.includes(userId)) continue;
      if (
        !(
          await tx
            .select({ userId: memberships.userId })
            .from(memberships)
            .where(and(eq(memberships.workspaceId, comment.workspaceId), eq(memberships.userId, userId)))
        )[0]
      )
        continue;
      const fresh = await notify(tx, {
        userId,
        workspaceId: comment.workspaceId,
        kind: "reply",
        target: { type: comment.target.type, id: comment.target.id },
        title: `${actor.name} replied in a thread you are in, on ${where}`,
        body: comment.body.slice(0, 280),
        dedupeKey: `reply:${comment.id}:${userId}`,
        actorId: actor.id,
      });
      if (fresh) notified.push(userId);
    }
  }
  return notified;
}

/** Members the text mentions (not the author); a mention of someone outside the workspace notifies nobody. */
async function mentionedMembers(tx: Transaction, workspaceId: string, body: string, authorId: string): Promise<string[]> {
  const ids = mentionedUserIds(body).filter((id) => id !== authorId);
  if (!ids.length) return [];
  return (
    await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, ids)))
  ).map((m) => m.userId);
}

export async function editComment(actor: PublicUser, workspaceId: string, commentId: string, input: unknown): Promise<CommentView> {
  return await writeTransaction(async (writer) => {
    const { tx } = writer;
    await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const before = await loadComment(tx, workspaceId, commentId);
    if (before.authorId !== actor.id) throw forbidden("Only the author can edit a comment.");
    if (before.deletedAt) throw unprocessable("This comment was deleted.");
    const { body } = parseInput(EditCommentInput, input);
    await tx
      .update(comments)
      .set({ body, editedAt: new Date(), version: before.version + 1 })
      .where(eq(comments.id, commentId));
    const view = await toView(tx, await loadComment(tx, workspaceId, commentId));
    await recordChange(writer, actor, view, { type: "comment.edited", payload: { comment: view, before: before.body, after: body } });
    return view;
  });
}

export async function deleteComment(actor: PublicUser, workspaceId: string, commentId: string): Promise<void> {
  await writeTransaction(async (writer) => {
    const { tx } = writer;
    const role = await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const before = await loadComment(tx, workspaceId, commentId);
    if (before.authorId !== actor.id && role !== "lead") throw forbidden("Only the author or a lead can delete a comment.");
    if (before.deletedAt) return;
    await tx.update(comments).set({ body: "", deletedAt: new Date() }).where(eq(comments.id, commentId));
    // The text leaves the thread but stays in the audit trail.
    const view = await toView(tx, await loadComment(tx, workspaceId, commentId));
    await recordChange(writer, actor, view, { type: "comment.deleted", payload: { comment: view, before: before.body } });
  });
}

export async function setThreadResolved(
  actor: PublicUser,
  workspaceId: string,
  commentId: string,
  resolved: boolean,
): Promise<CommentView> {
  return await writeTransaction(async (writer) => {
    const { tx } = writer;
    const role = await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const root = await loadComment(tx, workspaceId, commentId);
    if (root.parentId) throw unprocessable("Resolve the thread from its first comment.");
    if (root.authorId !== actor.id && !roleAtLeast(role, "contributor")) {
      throw forbidden("Only the thread's author, a contributor or a lead can resolve or reopen it.");
    }
    const already = (root.resolvedAt !== null) === resolved;
    if (!already) {
      await tx
        .update(comments)
        .set(resolved ? { resolvedAt: new Date(), resolvedBy: actor.id } : { resolvedAt: null, resolvedBy: null })
        .where(eq(comments.id, commentId));
    }
    const view = await toView(tx, await loadComment(tx, workspaceId, commentId));
    if (!already)
      await recordChange(writer, actor, view, { type: resolved ? "comment.resolved" : "comment.reopened", payload: { comment: view } });
    return view;
  });
}

/** Every comment on one resource, oldest first; the browser groups them into threads by parentId. */
export async function listComments(actor: PublicUser, workspaceId: string, query: unknown): Promise<CommentView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { targetType, targetId } = parseInput(CommentsQuery, query);
  const db = getDb();
  await requireTarget(db, workspaceId, targetType, targetId);
  const list = await db
    .select()
    .from(comments)
    .where(and(eq(comments.workspaceId, workspaceId), eq(comments.targetType, targetType), eq(comments.targetId, targetId)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const names = await namesFor(db, list);
  return Promise.all(list.map(async (c) => await toView(db, c, names)));
}

export async function getComment(actor: PublicUser, workspaceId: string, commentId: string): Promise<CommentView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  return await toView(db, await loadComment(db, workspaceId, commentId));
}
