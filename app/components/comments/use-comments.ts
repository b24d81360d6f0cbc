/**
 * The comments on one resource, kept live: loaded from the API, then patched
 * from the workspace's events (each comment event carries the comment).
 */
import { useCallback, useEffect, useState } from "react";
import { isCommentEvent, type PublicEvent } from "#app/domain/events.ts";
import { getSocket } from "#app/realtime/socket.ts";
import type { CommentView } from "#app/domain/comments.ts";

export type Target = { type: string; id: string };

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
  const [comments, setComments] = useState<CommentView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const upsert = useCallback((comment: CommentView) => {
    setComments((current) => {
      const list = current ?? [];
      const index = list.findIndex((c) => c.id === comment.id);
      if (index === -1) return [...list, comment];
      if (list[index].version > comment.version) return list;
      const next = list.slice();
      next[index] = comment;
      return next;
    });
  }, []);

  useEffect(() => {
    let cancelled = false;
    api<{ items: CommentView[] }>(`${base}?targetType=${encodeURIComponent(target.type)}&targetId=${encodeURIComponent(target.id)}`)
      .then((page) => !cancelled && setComments(page.items))
      .catch((e: Error) => !cancelled && setError(e.message));
    const onEvent = (event: PublicEvent) => {
      if (!isCommentEvent(event)) return;
      // The event carries the same view of the comment as the API answers.
      const comment: CommentView | undefined = event.payload.comment;
      if (comment && comment.target.type === target.type && comment.target.id === target.id) upsert(comment);
    };
    const socket = getSocket();
    socket.on("event", onEvent);
    return () => {
      cancelled = true;
      socket.off("event", onEvent);
    };
  }, [base, target.type, target.id, upsert]);

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

  return {
    comments,
    error,
    post: (body: string, options: { parentId?: string; anchor?: Record<string, unknown> | null } = {}) =>
      run(() =>
        api<CommentView>(base, {
          method: "POST",
          body: JSON.stringify({ target: { ...target, anchor: options.anchor ?? null }, body, parentId: options.parentId ?? null }),
        }),
      ),
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
