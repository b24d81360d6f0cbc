/**
 * Keeps a workspace page live: joins the workspace's room, replays what was
 * missed since the last event seen, hands each event to the views that patch
 * themselves from it, reloads (once per burst) only the loaders that show what
 * the views could not patch, tracks who else is here, and words what others
 * changed for the page's polite live region.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { describeEvent } from "#app/domain/event-descriptions.ts";
import type { PublicEvent } from "#app/domain/events.ts";
import { publishLiveEvent } from "./live-events.ts";
import { isPatchedByEveryView, revalidateForEvents, setLiveViewer } from "./live-revalidation.ts";
import type { LiveAnswer, PresenceList, PresenceMember } from "./live-channel.ts";
import { getSocket } from "./socket.ts";

/** Events that arrive together (an import, a burst of edits) cost one reload; short enough not to be seen. */
const REVALIDATE_DEBOUNCE_MS = 120;
/** Said once per burst, so a screen reader is not flooded. */
const ANNOUNCE_DEBOUNCE_MS = 400;

/**
 * `latestEventId` is the newest event the page's loaders had seen: the join
 * replays only what came after it, so nothing is missed and nothing repeats.
 */
export function useWorkspaceLive(workspaceId: string, latestEventId: string | null, resource: string | null, meId?: string) {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const [connected, setConnected] = useState(false);
  /** True once the connection has worked and then dropped: the page shows an offline banner. */
  const [lost, setLost] = useState(false);
  const lastEventId = useRef<string>(latestEventId ?? "0");
  /** What others just changed, in words; several changes within one debounce are said once. */
  const [announcement, setAnnouncement] = useState("");
  const me = useRef(meId);
  me.current = meId;
  // The viewer is known before the first event can arrive (the socket joins in the effect below).
  useEffect(() => {
    setLiveViewer(meId ?? null);
  }, [meId]);

  useEffect(() => {
    const socket = getSocket();
    let reloadTimer: ReturnType<typeof setTimeout> | undefined;
    let announceTimer: ReturnType<typeof setTimeout> | undefined;
    let unsaid: PublicEvent[] = [];
    let stale: PublicEvent[] = [];
    const join = () => {
      socket.emit("workspace:join", { workspaceId, afterEventId: lastEventId.current }, (answer: LiveAnswer) => {
        setConnected(answer?.ok === true);
        if (answer?.ok) setLost(false);
      });
    };
    const onEvent = (event: PublicEvent) => {
      if (event.workspaceId !== workspaceId) return;
      if (Number(event.id) <= Number(lastEventId.current)) return;
      lastEventId.current = event.id;
      publishLiveEvent(event);
      if (!isPatchedByEveryView(event.type)) {
        stale.push(event);
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(() => {
          revalidateForEvents(stale, revalidate.current);
          stale = [];
        }, REVALIDATE_DEBOUNCE_MS);
      }
      // One's own changes are already on screen where one made them.
      if (event.actor.id === me.current) return;
      unsaid.push(event);
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => {
        setAnnouncement(announce(unsaid));
        unsaid = [];
      }, ANNOUNCE_DEBOUNCE_MS);
    };
    const onPresence = (message: PresenceList) => {
      if (message.workspaceId === workspaceId) setMembers(message.members);
    };
    const onDisconnect = () => {
      setConnected(false);
      setLost(true);
    };
    socket.on("event", onEvent);
    socket.on("presence", onPresence);
    socket.on("connect", join);
    socket.on("disconnect", onDisconnect);
    if (socket.connected) join();
    else socket.connect(); // after a sign-out or a refused reconnect; "connect" then joins
    return () => {
      clearTimeout(reloadTimer);
      clearTimeout(announceTimer);
      socket.off("event", onEvent);
      socket.off("presence", onPresence);
      socket.off("connect", join);
      socket.off("disconnect", onDisconnect);
      socket.emit("workspace:leave", { workspaceId });
    };
  }, [workspaceId]);

  useEffect(() => {
    if (connected) getSocket().emit("presence:set", { workspaceId, resource });
  }, [connected, workspaceId, resource]);

  return { members, connected, lost, announcement };
}

function announce(events: PublicEvent[]): string {
  const latest = events[events.length - 1];
  const said = `${latest.actor.name} ${describeEvent(latest)}`;
  return events.length === 1 ? said : `${events.length} changes; the latest: ${said}`;
}
