/**
 * Workspace rooms: a socket joins one only after the membership check the
 * services use, and first receives every event it missed, from the table.
 */
import type { PublicEvent } from "#app/domain/events.ts";
import { eventsAfter } from "#app/services/audit.server.ts";
import { isServiceError } from "#app/services/errors.server.ts";
import { requireWorkspaceRole } from "#app/services/permissions.server.ts";
import type { UserNotice } from "#app/services/realtime-hub.server.ts";
import { JoinWorkspaceMessage, LeaveWorkspaceMessage } from "#app/schemas/realtime.ts";
import { readCommand, replyTo } from "./commands.ts";
import type { Presence } from "./presence.ts";
import { userRoom, workspaceRoom, type LiveServer, type LiveSocket } from "./sockets.ts";

export function handleRoomCommands(socket: LiveSocket, presence: Presence): void {
  socket.on("workspace:join", async (raw, ack) => {
    const reply = replyTo(ack);
    const message = readCommand(JoinWorkspaceMessage, raw, reply);
    if (!message) return;
    try {
      await requireWorkspaceRole(socket.data.user.id, message.workspaceId, "observer");
    } catch (error) {
      if (!isServiceError(error)) throw error;
      return reply({ ok: false, error: { code: error.code, message: error.message } });
    }
    // Joining, reading the backlog and emitting it happen in one synchronous
    // run (better-sqlite3 and the in-memory adapter are synchronous), so no
    // event can be published in between: none is lost and none is sent twice.
    socket.join(workspaceRoom(message.workspaceId));
    for (const event of await eventsAfter(message.workspaceId, Number(message.afterEventId ?? 0))) {
      socket.emit("event", event);
    }
    presence.enter(socket, message.workspaceId);
    reply({ ok: true });
  });

  socket.on("workspace:leave", (raw, ack) => {
    const reply = replyTo(ack);
    const message = readCommand(LeaveWorkspaceMessage, raw, reply);
    if (!message) return;
    socket.leave(workspaceRoom(message.workspaceId));
    presence.leave(socket, message.workspaceId);
    reply({ ok: true });
  });
}

/** A committed event goes to everyone in its workspace's room. */
export function deliverEvent(io: LiveServer, event: PublicEvent): void {
  if (event.workspaceId) io.to(workspaceRoom(event.workspaceId)).emit("event", event);
}

/** A nudge reaches every device of its person. */
export function deliverNotice(io: LiveServer, notice: UserNotice): void {
  io.to(userRoom(notice.userId)).emit("notification", { unreadNotifications: notice.unreadNotifications });
}
