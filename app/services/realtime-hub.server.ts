/**
 * The seam between the write path and the live channel. Services publish
 * committed events here; the server's Socket.IO layer subscribes and fans
 * them out to workspace rooms. It lives on globalThis because the server and
 * the Remix build each hold a copy of this module.
 */
import type { PublicEvent } from "#app/domain/events.ts";

type Listener = (event: PublicEvent) => void;
type SessionEndListener = (ended: { userId: string; sessionId: string }) => void;

interface Hub {
  listeners: Set<Listener>;
  sessionEnds?: Set<SessionEndListener>;
}

const GLOBAL_KEY = Symbol.for("consilience.realtimeHub");

function hub(): Hub {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Hub };
  g[GLOBAL_KEY] ??= { listeners: new Set() };
  return g[GLOBAL_KEY];
}

export function publishEvent(event: PublicEvent): void {
  for (const listener of hub().listeners) {
    try {
      listener(event);
    } catch (error) {
      // A broken subscriber must not undo a committed write or starve the others.
      console.error("realtime listener failed", error);
    }
  }
}

export function subscribeToEvents(listener: Listener): () => void {
  hub().listeners.add(listener);
  return () => hub().listeners.delete(listener);
}

/**
 * A browser session ended (sign-out). Not an audit event, but live
 * connections opened with that session must close, as they do on a password change.
 */
export function publishSessionEnded(ended: { userId: string; sessionId: string }): void {
  for (const listener of (hub().sessionEnds ??= new Set())) {
    try {
      listener(ended);
    } catch (error) {
      console.error("realtime listener failed", error);
    }
  }
}

export function subscribeToSessionEnds(listener: SessionEndListener): () => void {
  (hub().sessionEnds ??= new Set()).add(listener);
  return () => hub().sessionEnds?.delete(listener);
}
