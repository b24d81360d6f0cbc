/**
 * A flood from one socket is refused, so one misbehaving client cannot starve
 * the others: each connection may send SOCKET_MESSAGES_PER_10S messages
 * (default 100) per 10-second window.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import { env } from "#app/env.server.ts";
import type { LiveError } from "#app/realtime/live-channel.ts";
import type { LiveSocket } from "./sockets.ts";

const RATE_LIMITED: LiveError = { code: "rate_limited", message: "Too many messages from this connection; slow down." };

/** Returns the function that puts a new socket under the budget. */
export function messageBudget(): (socket: LiveSocket) => void {
  const budget = new RateLimiterMemory({
    keyPrefix: "socket-messages",
    points: env().SOCKET_MESSAGES_PER_10S,
    duration: 10,
  });
  return (socket) => {
    socket.use((packet, next) => {
      // Live documents' keystrokes and cursors come in bursts and have a budget of their own (documents.ts).
      if (String(packet[0]).startsWith("doc:")) return next();
      budget
        .consume(socket.id)
        .then(() => next())
        .catch(() => {
          // Dropped. A command waiting for an answer gets a refusal; anything else a notice.
          const ack = packet[packet.length - 1];
          if (typeof ack === "function") ack({ ok: false, error: RATE_LIMITED });
          else socket.volatile.emit("rate_limited", RATE_LIMITED);
        });
    });
  };
}
