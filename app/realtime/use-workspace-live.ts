/**
 * Keeps a workspace page live: joins the workspace's room, replays what was
 * missed since the last event seen, revalidates the page's loaders (debounced)
 * when events arrive, and tracks who else is here.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { PublicEvent } from "#app/domain/events.ts";
import type { LiveAnswer, PresenceList, PresenceMember } from "./live-channel.ts";
import { getSocket } from "./socket.ts";

const REVALIDATE_DEBOUNCE_MS = 400;

/**
 * `latestEventId` is the newest event the page's loaders had seen: the join
 * replays only what came after it, so nothing is missed and nothing repeats.
 */
export function useWorkspaceLive(workspaceId: string, latestEventId: string | null, resource: string | null) {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const [connected, setConnected] = useState(false);
  /** True once the connection has worked and then dropped: the page shows an offline banner. */
  const [lost, setLost] = useState(false);
  const lastEventId = useRef<string>(latestEventId ?? "0");

  useEffect(() => {
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
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
      clearTimeout(timer);
      timer = setTimeout(() => revalidate.current(), REVALIDATE_DEBOUNCE_MS);
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
      clearTimeout(timer);
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

  return { members, connected, lost };
}
