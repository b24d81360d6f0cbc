/**
 * Workspace rooms: a socket joins one only after the membership check the
 * services use, and first receives every event it missed, from the table.
 */
import { isServiceError } from "#app/services/errors.server.ts";
import { requireWorkspaceRole } from "#app/services/permissions.server.ts";
import type { ImportProgressNotice, UserNotice } from "#app/services/realtime-hub.server.ts";
import { JoinWorkspaceMessage, LeaveWorkspaceMessage } from "#app/schemas/realtime.ts";
import { readCommand, replyTo } from "./commands.ts";
import type { WorkspaceFeed } from "./feed.ts";
import type { Presence } from "./presence.ts";
import { userRoom, workspaceRoom, type LiveServer, type LiveSocket } from "./sockets.ts";

export function handleRoomCommands(socket: LiveSocket, presence: Presence, feed: WorkspaceFeed): void {
  socket.on("workspace:join", async (raw, ack) => {
    const reply = replyTo(ack);
    const message = readCommand(JoinWorkspaceMessage, raw, reply);
    if (!message) return;
    try {
      await requireWorkspaceRole(socket.data.user.id, message.workspaceId, "observer");
      // Entering the room and sending the backlog happen in the workspace's turn of the feed,
      // so no event is sent twice or missed in between (server/realtime/feed.ts).
      await feed.join(socket, message.workspaceId, Number(message.afterEventId ?? 0));
    } catch (error) {
      if (!isServiceError(error)) {
        console.error("joining a workspace failed", error);
        return reply({ ok: false, error: { code: "internal", message: "Joining failed; try again." } });
      }
      return reply({ ok: false, error: { code: error.code, message: error.message } });
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

/** A nudge reaches every device of its person. */
export function deliverNotice(io: LiveServer, notice: UserNotice): void {
  io.to(userRoom(notice.userId)).emit("notification", { unreadNotifications: notice.unreadNotifications });
}

/** Import progress reaches the uploader's devices only, on whichever process they are connected (through the adapter). */
export function deliverImportProgress(io: LiveServer, notice: ImportProgressNotice): void {
  io.to(userRoom(notice.userId)).emit("dataset:import-progress", notice.progress);
}
