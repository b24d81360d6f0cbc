/**
 * Who may open a live connection: a page of our own origin (or a script with
 * no Origin at all), carrying a valid session cookie or access token.
 * See docs/decisions/005-live-channel.md.
 */
import type { IncomingMessage } from "node:http";
import type { ServerOptions } from "socket.io";
import { authenticate } from "#app/services/auth.server.ts";
import { isOwnOrigin } from "../origin.ts";
import type { LiveSocket } from "./sockets.ts";

/** A foreign Origin is refused before the handshake; scripts without one authenticate by token. */
export const allowOwnOrigin: NonNullable<ServerOptions["allowRequest"]> = (req: IncomingMessage, callback) => {
  const origin = req.headers.origin;
  callback(null, !origin || isOwnOrigin(origin, req.headers.host));
};

/** Handshake middleware: the same credentials the HTTP API accepts, remembered on the socket. */
export async function authenticateHandshake(socket: LiveSocket, next: (error?: Error) => void): Promise<void> {
  const token = socket.handshake.auth?.token;
  const caller = await authenticate({
    authorization: typeof token === "string" && token ? `Bearer ${token}` : null,
    cookie: socket.handshake.headers.cookie,
  });
  if (!caller) {
    next(new Error("unauthorized: sign in, or pass a valid access token as auth.token"));
    return;
  }
  socket.data.user = { id: caller.user.id, name: caller.user.name };
  socket.data.credential =
    caller.via === "token" ? { via: "token", tokenId: caller.tokenId } : { via: "session", sessionId: caller.sessionId };
  socket.data.presence = {};
  socket.data.documentCursors = {};
  next();
}
