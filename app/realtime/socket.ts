/**
 * The browser's one connection to the live channel, shared by every hook.
 * It authenticates with the session cookie (same origin).
 */
import { io, type Socket } from "socket.io-client";

let socket: Socket | null = null;

export function getSocket(): Socket {
  socket ??= io({ withCredentials: true, transports: ["websocket", "polling"] });
  return socket;
}
