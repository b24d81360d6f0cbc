/**
 * The threads on one resource (or one spot in it), live: new comments,
 * replies, edits and resolutions appear for everyone looking, without reload.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import type { CommentView } from "#app/domain/comments.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { Notice } from "#app/components/ui/notice.tsx";
import { Composer, type Member } from "./composer.tsx";
import { useComments, type ShownComment, type Target } from "./use-comments.ts";
import { useTyping } from "./use-typing.ts";
import { commentAnchor } from "#app/domain/search-text.ts";

interface Props {
  target: Target;
  /** The comments, when the page also needs them (for markers); otherwise the panel loads its own. */
  source?: ReturnType<typeof useComments>;
  /** New threads point here (a section, a row, a cell); only threads here are shown when given. */
  anchor?: Record<string, unknown> | null;
  title?: string;
}

function sameAnchor(a: CommentView["target"]["anchor"], b: Props["anchor"]) {
  if (!b) return true;
  // Compared by value: a range anchor is an object.
  return Object.entries(b).every(([k, v]) => JSON.stringify((a as Record<string, unknown> | null)?.[k]) === JSON.stringify(v));
}

export function CommentsPanel(props: Props) {
  const { workspace } = useWorkspace();
  return props.source ? <Panel {...props} source={props.source} /> : <OwnComments {...props} workspaceId={workspace.id} />;
}

function OwnComments(props: Props & { workspaceId: string }) {
  const source = useComments(props.workspaceId, props.target);
  return <Panel {...props} source={source} />;
}

function Panel({ target, anchor = null, title = "Comments", source }: Props & { source: ReturnType<typeof useComments> }) {
  const { workspace, me, members } = useWorkspace();
  const { comments, error, post, edit, remove, setResolved } = source;
  const { typing, signal } = useTyping(workspace.id, target, me.id);
  const [showResolved, setShowResolved] = useState(false);
  const roster: Member[] = members.filter((m) => m.userId !== me.id);

  const threads = useMemo(() => {
    const roots = (comments ?? []).filter((c) => !c.parentId && sameAnchor(c.target.anchor, anchor));
    return roots.map((root) => ({ root, replies: (comments ?? []).filter((c) => c.parentId === root.id) }));
  }, [comments, anchor]);
  const open = threads.filter((t) => !t.root.resolvedAt);
  const resolved = threads.filter((t) => t.root.resolvedAt);
  // Open and resolved threads render alike; only the list they sit in differs.
  const thread = (t: (typeof threads)[number]) => (
    <Thread
      key={t.root.id}
      {...t}
      me={me.id}
      isLead={workspace.role === "lead"}
      members={roster}
      onReply={(body) => post(body, { parentId: t.root.id })}
      onEdit={edit}
      onDelete={remove}
      onResolve={(r) => setResolved(t.root.id, r)}
      onTyping={signal}
    />
  );

  return (
    <section aria-label={title} className="space-y-3">
      <h3 className="flex items-baseline justify-between text-base font-semibold">
        {title}
        <span className="text-xs font-normal text-slate-500" data-testid="open-thread-count">
          {comments === null ? "loading…" : `${open.length} open`}
        </span>
      </h3>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {open.length === 0 && comments !== null ? <p className="text-sm text-slate-600">No open threads here. Start one below.</p> : null}
      <ol className="space-y-3">{open.map(thread)}</ol>
      {resolved.length ? (
        <div>
          <button type="button" className="text-sm text-brand-700 underline" onClick={() => setShowResolved((s) => !s)}>
            {showResolved ? "Hide" : "Show"} {resolved.length} resolved {resolved.length === 1 ? "thread" : "threads"}
          </button>
          {showResolved ? <ol className="mt-2 space-y-3 opacity-80">{resolved.map(thread)}</ol> : null}
        </div>
      ) : null}
      {typing.length ? (
        <p className="text-xs italic text-slate-500">
          {typing.join(", ")} {typing.length === 1 ? "is" : "are"} typing…
        </p>
      ) : null}
      <Composer
        members={roster}
        label={anchor ? "Comment on this spot" : "New comment"}
        submitLabel="Comment"
        onSubmit={(body) => post(body, { anchor })}
        onTyping={signal}
        optimistic
      />
    </section>
  );
}

interface ThreadProps {
  root: ShownComment;
  replies: ShownComment[];
  me: string;
  isLead: boolean;
  members: Member[];
  onReply(body: string): Promise<boolean>;
  onEdit(id: string, body: string): Promise<boolean>;
  onDelete(id: string): Promise<boolean>;
  onResolve(resolved: boolean): Promise<boolean>;
  onTyping(): void;
}

function Thread({ root, replies, me, isLead, members, onReply, onEdit, onDelete, onResolve, onTyping }: ThreadProps) {
  const [replying, setReplying] = useState(false);
  const replyButton = useRef<HTMLButtonElement>(null);
  const closedByPerson = useRef(false);
  // Closing the reply box (Escape, Cancel) puts focus back on the Reply button that opened it.
  useEffect(() => {
    if (!replying && closedByPerson.current) {
      closedByPerson.current = false;
      replyButton.current?.focus();
    }
  }, [replying]);
  const closeReply = () => {
    closedByPerson.current = true;
    setReplying(false);
  };
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3" data-testid="comment-thread">
      {root.target.anchor ? <AnchorLabel anchor={root.target.anchor} /> : null}
      <CommentItem comment={root} me={me} isLead={isLead} members={members} onEdit={onEdit} onDelete={onDelete} />
      {replies.length ? (
        <ol className="mt-2 space-y-2 border-l-2 border-slate-100 pl-3">
          {replies.map((r) => (
            <li key={r.id}>
              <CommentItem comment={r} me={me} isLead={isLead} members={members} onEdit={onEdit} onDelete={onDelete} />
            </li>
          ))}
        </ol>
      ) : null}
      <div className={`mt-2 flex gap-3 text-xs ${root.sending ? "hidden" : ""}`}>
        {!replying ? (
          <button ref={replyButton} type="button" className="text-brand-700 underline" onClick={() => setReplying(true)}>
            Reply
          </button>
        ) : null}
        <button type="button" className="text-slate-600 underline" onClick={() => void onResolve(!root.resolvedAt)}>
          {root.resolvedAt ? "Reopen" : "Resolve"}
        </button>
        {root.resolvedAt && root.resolvedBy ? <span className="text-slate-500">Resolved by {root.resolvedBy.name}</span> : null}
      </div>
      {replying ? (
        <div className="mt-2">
          <Composer
            members={members}
            label="Reply"
            submitLabel="Reply"
            autoFocus
            onSubmit={async (b) => {
              const ok = await onReply(b);
              if (ok) closeReply();
              return ok;
            }}
            onTyping={onTyping}
            onCancel={closeReply}
            optimistic
          />
        </div>
      ) : null}
    </li>
  );
}

function AnchorLabel({ anchor }: { anchor: NonNullable<CommentView["target"]["anchor"]> }) {
  const parts = [
    anchor.section ? `section ${anchor.section}` : null,
    anchor.row !== undefined ? `row ${anchor.row + 1}` : null,
    anchor.column ? `column ${anchor.column}` : null,
    anchor.range ? `the text “${anchor.range.quote.length > 80 ? `${anchor.range.quote.slice(0, 80)}…` : anchor.range.quote}”` : null,
  ].filter(Boolean);
  return <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">On {parts.join(", ")}</p>;
}

function CommentItem({
  comment,
  me,
  isLead,
  members,
  onEdit,
  onDelete,
}: {
  comment: ShownComment;
  me: string;
  isLead: boolean;
  members: Member[];
  onEdit: ThreadProps["onEdit"];
  onDelete: ThreadProps["onDelete"];
}) {
  const [editing, setEditing] = useState(false);
  const mine = comment.author.id === me;
  return (
    <article
      id={commentAnchor(comment.id)}
      className={`scroll-mt-4 text-sm target:rounded target:ring-2 target:ring-amber-400 ${comment.sending ? "opacity-70" : ""}`}
      data-testid="comment"
      data-sending={comment.sending ? "true" : undefined}
      aria-busy={comment.sending ? true : undefined}
    >
      <header className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-500">
        <span className="font-medium text-slate-800">{comment.author.name}</span>
        <time dateTime={comment.createdAt}>{formatUtc(comment.createdAt)}</time>
        {comment.editedAt ? <span>(edited)</span> : null}
        {comment.sending ? <span className="italic">Sending…</span> : null}
      </header>
      {comment.deleted ? (
        <p className="mt-1 italic text-slate-500">This comment was deleted.</p>
      ) : editing ? (
        <div className="mt-1">
          <Composer
            members={members}
            label="Edit comment"
            submitLabel="Save"
            initial={comment.body}
            onSubmit={async (b) => {
              const ok = await onEdit(comment.id, b);
              if (ok) setEditing(false);
              return ok;
            }}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <div
          className="prose-comment mt-1 break-words [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_p]:my-1"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: bodyHtml is rendered and sanitised on the server (app/domain/markdown.ts).
          dangerouslySetInnerHTML={{ __html: comment.bodyHtml }}
        />
      )}
      {!comment.deleted && !editing && !comment.sending && (mine || isLead) ? (
        <div className="mt-1 flex gap-3 text-xs">
          {mine ? (
            <button type="button" className="text-slate-600 underline" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          <button
            type="button"
            className="text-red-700 underline"
            onClick={() => {
              if (confirm("Delete this comment? Its text stays in the audit trail.")) void onDelete(comment.id);
            }}
          >
            Delete
          </button>
        </div>
      ) : null}
    </article>
  );
}
