/**
 * Ending live access the moment it ends elsewhere: a revoked token, a
 * password change or a sign-out closes the connections opened with that
 * credential, and a removed member's sockets leave the workspace's room.
 */
import type { PublicEvent } from "#app/domain/events.ts";
import type { SocketData } from "#app/realtime/live-channel.ts";
import { closeDocumentsOf } from "./documents.ts";
import type { Presence } from "./presence.ts";
import { userRoom, workspaceRoom, type LiveServer } from "./sockets.ts";

/** Acts on the events that take access away; called after the event itself has been delivered. */
export function revokeOnEvent(io: LiveServer, presence: Presence, event: PublicEvent): void {
  switch (event.type) {
    case "token.revoked":
      void disconnectRevoked(io, event.actor.id, (c) => c.via === "token" && c.tokenId === event.target.id);
      return;
    case "user.password_changed":
      // Every session of the user has ended; a browser that still holds a valid
      // (new) cookie reconnects and authenticates again.
      void disconnectRevoked(io, event.actor.id, (c) => c.via === "session");
      return;
    case "member.removed":
      if (event.workspaceId) dropFromWorkspace(io, presence, event.target.id, event.workspaceId);
      return;
  }
}

/** A browser session ended (sign-out): its connections close, as on a password change. */
export function endSessionConnections(io: LiveServer, ended: { userId: string; sessionId: string }): void {
  void disconnectRevoked(io, ended.userId, (c) => c.via === "session" && c.sessionId === ended.sessionId);
}

/** A removed member stops hearing the workspace at once, on every device and every process. */
function dropFromWorkspace(io: LiveServer, presence: Presence, userId: string, workspaceId: string) {
  io.in(userRoom(userId)).socketsLeave(workspaceRoom(workspaceId));
  void closeDocumentsOf(io, userRoom(userId), workspaceId);
  presence.forget(workspaceId);
}

/** Ends the live connections whose credential a change has just invalidated. */
async function disconnectRevoked(io: LiveServer, userId: string, revoked: (credential: SocketData["credential"]) => boolean) {
  for (const s of await io.in(userRoom(userId)).fetchSockets()) {
    if (revoked(s.data.credential)) s.disconnect(true);
  }
}
