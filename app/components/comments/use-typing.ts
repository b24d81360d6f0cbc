/** "… is typing" for one thread or resource: sent at most every 2 s, shown for 4 s after the last signal. */
import { useCallback, useEffect, useRef, useState } from "react";
import { getSocket } from "#app/realtime/socket.ts";

const SEND_EVERY_MS = 2000;
const SHOW_FOR_MS = 4000;

export function useTyping(workspaceId: string, target: { type: string; id: string }, me: string) {
  const [typists, setTypists] = useState<Record<string, { name: string; until: number }>>({});
  const lastSent = useRef(0);

  useEffect(() => {
    const socket = getSocket();
    const onTyping = (m: { workspaceId: string; target: { type: string; id: string }; user: { id: string; name: string } }) => {
      if (m.workspaceId !== workspaceId || m.target.type !== target.type || m.target.id !== target.id || m.user.id === me) return;
      setTypists((t) => ({ ...t, [m.user.id]: { name: m.user.name, until: Date.now() + SHOW_FOR_MS } }));
    };
    socket.on("typing", onTyping);
    const sweep = setInterval(() => {
      setTypists((t) => {
        const now = Date.now();
        const kept = Object.fromEntries(Object.entries(t).filter(([, v]) => v.until > now));
        return Object.keys(kept).length === Object.keys(t).length ? t : kept;
      });
    }, 1000);
    return () => {
      socket.off("typing", onTyping);
      clearInterval(sweep);
    };
  }, [workspaceId, target.type, target.id, me]);

  const signal = useCallback(() => {
    const now = Date.now();
    if (now - lastSent.current < SEND_EVERY_MS) return;
    lastSent.current = now;
    getSocket().emit("typing", { workspaceId, target });
  }, [workspaceId, target]);

  const names = Object.values(typists).map((t) => t.name);
  return { typing: names, signal };
}
