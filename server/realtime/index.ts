/**
 * The live channel: Socket.IO on the app's own HTTP server. Sockets
 * authenticate at the handshake, join a workspace room only after the same
 * membership check the services use, replay missed events from the database,
 * then receive committed events as they commit, read from the database by this
 * process's feed (server/realtime/feed.ts), whichever process committed them.
 * See docs/decisions/005-live-channel.md and 018-live-feed-across-processes.md.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  subscribeToDraftUpdates,
  subscribeToEvents,
  subscribeToImportProgress,
  subscribeToSessionEnds,
  subscribeToUserNotices,
} from "#app/services/realtime-hub.server.ts";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "#app/realtime/live-channel.ts";
import { attachAdapter } from "./adapter.ts";
import { allowOwnOrigin, authenticateHandshake } from "./auth.ts";
import { documentBudget, handleDocumentCommands, relayDraftUpdate } from "./documents.ts";
import { messageBudget } from "./message-budget.ts";
import { handlePresenceMessages, trackPresence } from "./presence.ts";
import { endSessionConnections, revokeOnEvent } from "./revocation.ts";
import { workspaceFeed } from "./feed.ts";
import { deliverImportProgress, deliverNotice, handleRoomCommands } from "./rooms.ts";
import { userRoom } from "./sockets.ts";

export function attachRealtime(httpServer: HttpServer) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    serveClient: false,
    allowRequest: allowOwnOrigin,
  });
  const adapter = attachAdapter(io);
  io.use(authenticateHandshake);

  const underBudget = messageBudget();
  const presence = trackPresence(io);
  const feed = workspaceFeed(io);
  const documentMessagesWithinBudget = documentBudget();
  io.on("connection", (socket) => {
    socket.join(userRoom(socket.data.user.id));
    underBudget(socket);
    handleRoomCommands(socket, presence, feed);
    handlePresenceMessages(socket, presence);
    handleDocumentCommands(socket, documentMessagesWithinBudget);
  });
  // Another process committed events of a workspace.
  io.on("events:committed", (workspaceId) => feed.ring(workspaceId));

  const unsubscribes = [
    subscribeToEvents((event) => {
      if (event.workspaceId) {
        feed.ring(event.workspaceId);
        io.serverSideEmit("events:committed", event.workspaceId);
      }
      // Access this event takes away ends on every process (through the adapter).
      revokeOnEvent(io, presence, event);
    }),
    subscribeToUserNotices((notice) => deliverNotice(io, notice)),
    subscribeToImportProgress((notice) => deliverImportProgress(io, notice)),
    subscribeToSessionEnds((ended) => endSessionConnections(io, ended)),
    subscribeToDraftUpdates((change) => relayDraftUpdate(io, change)),
  ];

  return {
    io,
    /** Disconnects every socket and stops the engine; the HTTP server is closed by its owner. */
    async close() {
      presence.stop();
      feed.stop();
      for (const unsubscribe of unsubscribes) unsubscribe();
      // This process's sockets only: the others keep theirs (a rolling restart).
      io.local.disconnectSockets(true);
      void io.close();
      await adapter.close();
    },
  };
}
