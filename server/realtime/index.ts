/**
 * The live channel: Socket.IO on the app's own HTTP server. Sockets
 * authenticate at the handshake, join a workspace room only after the same
 * membership check the services use, replay missed events from the database,
 * then receive committed events as the services publish them.
 * See docs/decisions/005-live-channel.md.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { subscribeToEvents, subscribeToSessionEnds, subscribeToUserNotices } from "#app/services/realtime-hub.server.ts";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "#app/realtime/live-channel.ts";
import { attachAdapter } from "./adapter.ts";
import { allowOwnOrigin, authenticateHandshake } from "./auth.ts";
import { messageBudget } from "./message-budget.ts";
import { handlePresenceMessages, trackPresence } from "./presence.ts";
import { endSessionConnections, revokeOnEvent } from "./revocation.ts";
import { deliverEvent, deliverNotice, handleRoomCommands } from "./rooms.ts";
import { userRoom } from "./sockets.ts";

export function attachRealtime(httpServer: HttpServer) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    serveClient: false,
    allowRequest: allowOwnOrigin,
  });
  attachAdapter(io);
  io.use(authenticateHandshake);

  const underBudget = messageBudget();
  const presence = trackPresence(io);
  io.on("connection", (socket) => {
    socket.join(userRoom(socket.data.user.id));
    underBudget(socket);
    handleRoomCommands(socket, presence);
    handlePresenceMessages(socket, presence);
  });

  const unsubscribes = [
    subscribeToEvents((event) => {
      deliverEvent(io, event);
      revokeOnEvent(io, presence, event);
    }),
    subscribeToUserNotices((notice) => deliverNotice(io, notice)),
    subscribeToSessionEnds((ended) => endSessionConnections(io, ended)),
  ];

  return {
    io,
    /** Disconnects every socket and stops the engine; the HTTP server is closed by its owner. */
    close() {
      presence.stop();
      for (const unsubscribe of unsubscribes) unsubscribe();
      io.disconnectSockets(true);
      void io.close();
    },
  };
}
