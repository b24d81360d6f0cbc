/**
 * Who is in a workspace and what they are looking at, and who is typing:
 * ephemeral, carried by the sockets only and never written.
 */
import { env } from "#app/env.server.ts";
import type { PresenceMember } from "#app/realtime/live-channel.ts";
import { PresenceMessage, TypingMessage } from "#app/schemas/realtime.ts";
import { readCommand, replyTo } from "./commands.ts";
import { workspaceRoom, type LiveServer, type LiveSocket } from "./sockets.ts";

/** How long presence changes in one workspace are gathered before one broadcast carries them all. */
const PRESENCE_COALESCE_MS = env().PRESENCE_COALESCE_MS;

export type Presence = ReturnType<typeof trackPresence>;

/**
 * Each socket keeps, per joined workspace, the resource it is looking at
 * (SocketData.presence); the list a workspace sees is read from its room's
 * sockets when it is sent, on every process (`fetchSockets()` goes through the
 * adapter, so with Redis it lists the sockets of every process).
 */
export function trackPresence(io: LiveServer) {
  /**
   * Presence changes are coalesced per workspace: the first change schedules
   * one broadcast PRESENCE_COALESCE_MS later, and the changes that arrive
   * meanwhile ride along. Broadcasting on every change costs O(sockets) per
   * join, so a room filling up (a lecture, everyone reconnecting after a
   * restart) would cost O(sockets²) messages; coalesced, it is a few
   * broadcasts. The list is read when the broadcast is sent, so it is never
   * staler than the delay.
   */
  const timers = new Map<string, NodeJS.Timeout>();
  function changed(workspaceId: string) {
    if (timers.has(workspaceId)) return;
    timers.set(
      workspaceId,
      setTimeout(() => {
        timers.delete(workspaceId);
        send(workspaceId).catch((error) => console.error("presence broadcast failed", error));
      }, PRESENCE_COALESCE_MS),
    );
  }

  async function send(workspaceId: string) {
    const sockets = await io.in(workspaceRoom(workspaceId)).fetchSockets();
    const seen = new Map<string, PresenceMember>();
    for (const s of sockets) {
      if (!s.data.presence || !Object.hasOwn(s.data.presence, workspaceId)) continue;
      const member = { userId: s.data.user.id, name: s.data.user.name, resource: s.data.presence[workspaceId] ?? null };
      // One entry per person; a person with several tabs shows where they moved last.
      if (!seen.has(member.userId) || member.resource) seen.set(member.userId, member);
    }
    // Not volatile: a joiner must get the list even when its connection is busy with a replay.
    io.to(workspaceRoom(workspaceId)).emit("presence", { workspaceId, members: [...seen.values()] });
  }

  return {
    /** The socket has joined the workspace: it is present, looking at nothing in particular yet. */
    enter(socket: LiveSocket, workspaceId: string) {
      socket.data.presence[workspaceId] = null;
      changed(workspaceId);
    },
    isIn(socket: LiveSocket, workspaceId: string): boolean {
      return Object.hasOwn(socket.data.presence, workspaceId);
    },
    lookAt(socket: LiveSocket, workspaceId: string, resource: string | null) {
      socket.data.presence[workspaceId] = resource;
      changed(workspaceId);
    },
    leave(socket: LiveSocket, workspaceId: string) {
      if (!Object.hasOwn(socket.data.presence, workspaceId)) return;
      delete socket.data.presence[workspaceId];
      changed(workspaceId);
    },
    leaveAll(socket: LiveSocket) {
      for (const workspaceId of Object.keys(socket.data.presence)) {
        delete socket.data.presence[workspaceId];
        changed(workspaceId);
      }
    },
    /**
     * Sockets were made to leave the workspace's room (a removed member's): the list is sent again
     * without them (they are no longer in the room, on whichever process they are).
     */
    forget(workspaceId: string) {
      changed(workspaceId);
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** A socket's presence and typing messages, and its presence ending when it disconnects. */
export function handlePresenceMessages(socket: LiveSocket, presence: Presence): void {
  socket.on("presence:set", (raw, ack) => {
    const reply = replyTo(ack);
    const message = readCommand(PresenceMessage, raw, reply);
    if (!message) return;
    if (!presence.isIn(socket, message.workspaceId)) {
      return reply({ ok: false, error: { code: "not_joined", message: "Join the workspace first." } });
    }
    presence.lookAt(socket, message.workspaceId, message.resource);
    reply({ ok: true });
  });

  socket.on("typing", (raw) => {
    const result = TypingMessage.safeParse(raw);
    if (!result.success || !presence.isIn(socket, result.data.workspaceId)) return;
    const { workspaceId, target } = result.data;
    // Volatile: a typing signal that cannot be sent now is worthless later.
    socket.volatile.to(workspaceRoom(workspaceId)).emit("typing", {
      workspaceId,
      target,
      user: { id: socket.data.user.id, name: socket.data.user.name },
    });
  });

  socket.on("disconnect", () => presence.leaveAll(socket));
}
