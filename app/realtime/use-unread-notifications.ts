/** The unread-notification count, from the page's loader and then live from the server's nudges. */
import { useEffect, useState } from "react";
import type { NotificationNudge } from "./live-channel.ts";
import { getSocket } from "./socket.ts";

export function useUnreadNotifications(fromLoader: number, signedIn: boolean): number {
  const [count, setCount] = useState(fromLoader);
  useEffect(() => setCount(fromLoader), [fromLoader]);
  useEffect(() => {
    if (!signedIn) return;
    const socket = getSocket();
    const onNotice = (nudge: NotificationNudge) => setCount(nudge.unreadNotifications);
    socket.on("notification", onNotice);
    return () => {
      socket.off("notification", onNotice);
    };
  }, [signedIn]);
  return count;
}
