/**
 * The seam between the write path and the live channel. Services publish
 * committed events here; the server's Socket.IO layer subscribes and fans
 * them out to workspace rooms. It lives on globalThis because the server and
 * the Remix build each hold a copy of this module.
 */
import type { PublicEvent } from "#app/domain/events.ts";
import type { DatasetImportProgress } from "#app/domain/dataset-import-progress.ts";

type Listener = (event: PublicEvent) => void;
/** A nudge for one person (a new notification): carries only their unread count. */
export interface UserNotice {
  userId: string;
  unreadNotifications: number;
}
type NoticeListener = (notice: UserNotice) => void;
type SessionEndListener = (ended: { userId: string; sessionId: string }) => void;
/** A committed edit of a protocol's live draft, for the sockets in that document (all but `fromSocket`, which sent it). */
export interface DraftUpdate {
  workspaceId: string;
  protocolId: string;
  update: Uint8Array;
  fromSocket?: string;
}
type DraftUpdateListener = (change: DraftUpdate) => void;
/** How far one person's dataset import has come: for their eyes only, never written. */
export interface ImportProgressNotice {
  userId: string;
  progress: DatasetImportProgress;
}
type ImportProgressListener = (notice: ImportProgressNotice) => void;

interface Hub {
  listeners: Set<Listener>;
  noticeListeners: Set<NoticeListener>;
  sessionEnds: Set<SessionEndListener>;
  draftUpdates: Set<DraftUpdateListener>;
  importProgress: Set<ImportProgressListener>;
}

const GLOBAL_KEY = Symbol.for("consilience.realtimeHub");

function hub(): Hub {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Hub };
  g[GLOBAL_KEY] ??= {
    listeners: new Set(),
    noticeListeners: new Set(),
    sessionEnds: new Set(),
    draftUpdates: new Set(),
    importProgress: new Set(),
  };
  return g[GLOBAL_KEY];
}

/** Hands a committed change to every subscriber of its kind. */
function deliver<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      // A broken subscriber must not undo a committed write or starve the others.
      console.error("realtime listener failed", error);
    }
  }
}

export function publishEvent(event: PublicEvent): void {
  deliver(hub().listeners, event);
}

export function subscribeToEvents(listener: Listener): () => void {
  hub().listeners.add(listener);
  return () => hub().listeners.delete(listener);
}

export function publishUserNotice(notice: UserNotice): void {
  deliver(hub().noticeListeners, notice);
}

/**
 * A browser session ended (sign-out). Not an audit event, but live
 * connections opened with that session must close, as they do on a password change.
 */
export function publishSessionEnded(ended: { userId: string; sessionId: string }): void {
  deliver(hub().sessionEnds, ended);
}

/** Not an audit event (a keystroke is not one): the draft's own update, relayed to the document's sockets. */
export function publishDraftUpdate(change: DraftUpdate): void {
  deliver(hub().draftUpdates, change);
}

export function subscribeToDraftUpdates(listener: DraftUpdateListener): () => void {
  hub().draftUpdates.add(listener);
  return () => hub().draftUpdates.delete(listener);
}

export function subscribeToUserNotices(listener: NoticeListener): () => void {
  hub().noticeListeners.add(listener);
  return () => hub().noticeListeners.delete(listener);
}

export function subscribeToSessionEnds(listener: SessionEndListener): () => void {
  hub().sessionEnds.add(listener);
  return () => hub().sessionEnds.delete(listener);
}

export function publishImportProgress(notice: ImportProgressNotice): void {
  for (const listener of hub().importProgress) {
    try {
      listener(notice);
    } catch (error) {
      console.error("realtime import progress listener failed", error);
    }
  }
}

export function subscribeToImportProgress(listener: ImportProgressListener): () => void {
  hub().importProgress.add(listener);
  return () => hub().importProgress.delete(listener);
}
