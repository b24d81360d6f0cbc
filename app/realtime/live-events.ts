/**
 * The page's one stream of workspace events. `useWorkspaceLive` receives each
 * event once (replay and live alike, in id order, never twice) and hands it to
 * every view that listens here; views patch what they hold from the event
 * itself instead of asking the server again.
 */
import { useEffect, useRef, useState } from "react";
import type { PublicEvent } from "#app/domain/events.ts";

type Listener = (event: PublicEvent) => void;

const listeners = new Set<Listener>();

export function publishLiveEvent(event: PublicEvent): void {
  for (const listener of listeners) listener(event);
}

/** Calls `listener` with every workspace event from now on, until the component unmounts. */
export function useLiveEvent(listener: Listener): void {
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => {
    const relay: Listener = (event) => current.current(event);
    listeners.add(relay);
    return () => {
      listeners.delete(relay);
    };
  }, []);
}

/**
 * A loader's data, kept current by applying each event to it with `patch`
 * (which answers the same object when the event does not concern it). When the
 * loader's data itself changes (a navigation, a submission, a reload), the view
 * starts again from it.
 */
export function useLivePatched<T>(data: T, patch: (current: T, event: PublicEvent) => T): T {
  const [patched, setPatched] = useState({ from: data, value: data });
  const latest = useRef({ data, patch });
  latest.current = { data, patch };
  useLiveEvent((event) =>
    setPatched((state) => {
      const { data: base, patch: apply } = latest.current;
      const current = state.from === base ? state.value : base;
      const value = apply(current, event);
      return value === current && state.from === base ? state : { from: base, value };
    }),
  );
  return patched.from === data ? patched.value : data;
}
