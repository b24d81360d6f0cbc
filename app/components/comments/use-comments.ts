/**
 * The comments on one resource, kept live: loaded from the API, then patched
 * from the workspace's events (each comment event carries the comment). One's
 * own new comment is drawn at once, marked as sending, replaced by the saved
 * one when the server answers, and taken back with the server's reason if it
 * refuses.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { isCommentEvent } from "#app/domain/events.ts";
import type { CommentView } from "#app/domain/comments.ts";
import { useLiveEvent } from "#app/realtime/live-events.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { pendingComment, placeSaved, type ShownComment } from "./pending-comment.ts";

export type Target = { type: string; id: string };

export type { ShownComment };

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { "content-type": "application/json", ...(init?.headers ?? {}) },
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  return body as T;
}

export function useComments(workspaceId: string, target: Target) {
  const base = `/api/v1/workspaces/${workspaceId}/comments`;
  const { me } = useWorkspace();
  const [comments, setComments] = useState<ShownComment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const drafts = useRef(0);

  /** Puts the saved comment in its place; `replacing`: the id of the sending copy it stands for. */
  const upsert = useCallback((comment: CommentView, replacing?: string) => {
    setComments((current) => placeSaved(current ?? [], comment, replacing));
  }, []);

  useEffect(() => {
    let cancelled = false;
    api<{ items: CommentView[] }>(`${base}?targetType=${encodeURIComponent(target.type)}&targetId=${encodeURIComponent(target.id)}`)
      .then((page) => !cancelled && setComments((current) => [...page.items, ...(current ?? []).filter((c) => c.sending)]))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [base, target.type, target.id]);

  useLiveEvent((event) => {
    if (!isCommentEvent(event)) return;
    // The event carries the same view of the comment as the API answers.
    const comment: CommentView | undefined = event.payload.comment;
    if (comment && comment.target.type === target.type && comment.target.id === target.id) upsert(comment);
  });

  const run = useCallback(
    async (work: () => Promise<CommentView | void>) => {
      setError(null);
      try {
        const result = await work();
        if (result) upsert(result);
        return true;
      } catch (e) {
        setError((e as Error).message);
        return false;
      }
    },
    [upsert],
  );

  const post = useCallback(
    async (body: string, options: { parentId?: string; anchor?: Record<string, unknown> | null } = {}) => {
      setError(null);
      const sending = pendingComment({
        id: `sending-${++drafts.current}`,
        workspaceId,
        // Shown only until the saved comment, which the server has checked, replaces it.
        target: { ...target, anchor: options.anchor ?? null } as CommentView["target"],
        parentId: options.parentId ?? null,
        body,
        author: { id: me.id, name: me.name },
      });
      setComments((current) => [...(current ?? []), sending]);
      try {
        const saved = await api<CommentView>(base, {
          method: "POST",
          body: JSON.stringify({ target: { ...target, anchor: options.anchor ?? null }, body, parentId: options.parentId ?? null }),
        });
        upsert(saved, sending.id);
        return true;
      } catch (e) {
        setComments((current) => (current ?? []).filter((c) => c.id !== sending.id));
        setError((e as Error).message);
        return false;
      }
    },
    [base, workspaceId, target, me.id, me.name, upsert],
  );

  return {
    comments,
    error,
    post,
    edit: (id: string, body: string) => run(() => api<CommentView>(`${base}/${id}`, { method: "PATCH", body: JSON.stringify({ body }) })),
    remove: (id: string) =>
      run(async () => {
        await api<void>(`${base}/${id}`, { method: "DELETE" });
        const deleted = await api<CommentView>(`${base}/${id}`);
        return deleted;
      }),
    setResolved: (id: string, resolved: boolean) =>
      run(() => api<CommentView>(`${base}/${id}/${resolved ? "resolve" : "reopen"}`, { method: "POST" })),
  };
}
