/**
 * The browser's one connection to the live channel, shared by every hook.
 * It authenticates with the session cookie (same origin).
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./live-channel.ts";

/** The browser's end of the live channel: it listens to the server's events and emits the client's. */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | null = null;

export function getSocket(): LiveSocket {
  if (socket) return socket;
  socket = io({ withCredentials: true, transports: ["websocket", "polling"] });
  socket.on("disconnect", (reason) => {
    // The server ends connections whose session has ended (a password change
    // elsewhere); try once more with whatever cookie this browser holds now.
    if (reason === "io server disconnect") socket?.connect();
  });
  return socket;
}

/** On sign-out: the connection must not outlive the session. */
export function closeSocket(): void {
  socket?.disconnect();
  socket = null;
}
