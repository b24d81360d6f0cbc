/**
 * The live channel: Socket.IO on the app's own HTTP server. Sockets
 * authenticate at the handshake, join a workspace room only after the same
 * membership check the services use, replay missed events from the database,
 * then receive committed events as the services publish them.
 */
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { Server, type Socket } from "socket.io";
import type { z } from "zod";
import { authenticate } from "#app/services/auth.server.ts";
import { eventsAfter } from "#app/services/audit.server.ts";
import { isServiceError } from "#app/services/errors.server.ts";
import { requireWorkspaceRole } from "#app/services/permissions.server.ts";
import { subscribeToEvents, subscribeToSessionEnds, subscribeToUserNotices } from "#app/services/realtime-hub.server.ts";
import {
  JoinWorkspaceMessage,
  LeaveWorkspaceMessage,
  PresenceMessage,
  TypingMessage,
  type PresenceMember,
} from "#app/schemas/realtime.ts";
import { isOwnOrigin } from "./origin.ts";

interface SocketData {
  user: { id: string; name: string };
  /** The credential the socket authenticated with, so revoking it can end the connection. */
  credential: { via: "session"; sessionId: string } | { via: "token"; tokenId: string };
  /** workspaceId → the resource this socket is looking at there. */
  presence: Map<string, string | null>;
}

type AppSocket = Socket<any, any, any, SocketData>;
type Ack = (answer: { ok: true } | { ok: false; error: { code: string; message: string } }) => void;

/** How long presence changes in one workspace are gathered before one broadcast carries them all. */
const PRESENCE_COALESCE_MS = Number(process.env.PRESENCE_COALESCE_MS ?? 50);

const workspaceRoom = (workspaceId: string) => `ws:${workspaceId}`;
const userRoom = (userId: string) => `user:${userId}`;

export function attachRealtime(httpServer: HttpServer) {
  const io = new Server<any, any, any, SocketData>(httpServer, {
    serveClient: false,
    // A foreign Origin is refused before the handshake; scripts without one authenticate by token.
    allowRequest: (req: IncomingMessage, callback) => {
      const origin = req.headers.origin;
      callback(null, !origin || isOwnOrigin(origin, req.headers.host));
    },
  });

  io.use((socket, next) => {
    const token = socket.handshake.auth?.token;
    const caller = authenticate({
      authorization: typeof token === "string" && token ? `Bearer ${token}` : null,
      cookie: socket.handshake.headers.cookie,
    });
    if (!caller) return next(new Error("unauthorized: sign in, or pass a valid access token as auth.token"));
    socket.data.user = { id: caller.user.id, name: caller.user.name };
    socket.data.credential =
      caller.via === "token" ? { via: "token", tokenId: caller.tokenId } : { via: "session", sessionId: caller.sessionId };
    socket.data.presence = new Map();
    next();
  });

  // A flood from one socket is refused, so one misbehaving client cannot starve the others.
  const messageBudget = new RateLimiterMemory({
    keyPrefix: "socket-messages",
    points: Number(process.env.SOCKET_MESSAGES_PER_10S ?? 100),
    duration: 10,
  });

  io.on("connection", (socket: AppSocket) => {
    socket.join(userRoom(socket.data.user.id));
    socket.use((packet, next) => {
      messageBudget
        .consume(socket.id)
        .then(() => next())
        .catch(() => {
          // Dropped. A command waiting for an answer gets a refusal; anything else a notice.
          const error = { code: "rate_limited", message: "Too many messages from this connection; slow down." };
          const ack = packet[packet.length - 1];
          if (typeof ack === "function") ack({ ok: false, error });
          else socket.volatile.emit("rate_limited", error);
        });
    });

    socket.on("workspace:join", (raw: unknown, ack?: Ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const message = parse(JoinWorkspaceMessage, raw, reply);
      if (!message) return;
      try {
        requireWorkspaceRole(socket.data.user.id, message.workspaceId, "observer");
      } catch (error) {
        if (!isServiceError(error)) throw error;
        return reply({ ok: false, error: { code: error.code, message: error.message } });
      }
      // Joining, reading the backlog and emitting it happen in one synchronous
      // run (better-sqlite3 and the in-memory adapter are synchronous), so no
      // event can be published in between: none is lost and none is sent twice.
      socket.join(workspaceRoom(message.workspaceId));
      for (const event of eventsAfter(message.workspaceId, Number(message.afterEventId ?? 0))) {
        socket.emit("event", event);
      }
      socket.data.presence.set(message.workspaceId, null);
      broadcastPresence(message.workspaceId);
      reply({ ok: true });
    });

    socket.on("workspace:leave", (raw: unknown, ack?: Ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const message = parse(LeaveWorkspaceMessage, raw, reply);
      if (!message) return;
      leave(socket, message.workspaceId);
      reply({ ok: true });
    });

    socket.on("presence:set", (raw: unknown, ack?: Ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const message = parse(PresenceMessage, raw, reply);
      if (!message) return;
      if (!socket.data.presence.has(message.workspaceId)) {
        return reply({ ok: false, error: { code: "not_joined", message: "Join the workspace first." } });
      }
      socket.data.presence.set(message.workspaceId, message.resource);
      broadcastPresence(message.workspaceId);
      reply({ ok: true });
    });

    socket.on("typing", (raw: unknown) => {
      const result = TypingMessage.safeParse(raw);
      if (!result.success || !socket.data.presence.has(result.data.workspaceId)) return;
      const { workspaceId, target } = result.data;
      socket.volatile.to(workspaceRoom(workspaceId)).emit("typing", {
        workspaceId,
        target,
        user: { id: socket.data.user.id, name: socket.data.user.name },
      });
    });

    socket.on("disconnect", () => {
      for (const workspaceId of socket.data.presence.keys()) {
        socket.data.presence.delete(workspaceId);
        broadcastPresence(workspaceId);
      }
    });
  });

  function leave(socket: AppSocket, workspaceId: string) {
    socket.leave(workspaceRoom(workspaceId));
    if (socket.data.presence.delete(workspaceId)) broadcastPresence(workspaceId);
  }

  /**
   * Presence changes are coalesced per workspace: the first change schedules
   * one broadcast PRESENCE_COALESCE_MS later, and the changes that arrive
   * meanwhile ride along. Broadcasting on every change costs O(sockets) per
   * join, so a room filling up (a lecture, everyone reconnecting after a
   * restart) would cost O(sockets²) messages; coalesced, it is a few
   * broadcasts. The list is read when the broadcast is sent, so it is never
   * staler than the delay.
   */
  const presenceTimers = new Map<string, NodeJS.Timeout>();
  function broadcastPresence(workspaceId: string) {
    if (presenceTimers.has(workspaceId)) return;
    presenceTimers.set(
      workspaceId,
      setTimeout(() => {
        presenceTimers.delete(workspaceId);
        sendPresence(workspaceId).catch((error) => console.error("presence broadcast failed", error));
      }, PRESENCE_COALESCE_MS),
    );
  }

  async function sendPresence(workspaceId: string) {
    const sockets = await io.in(workspaceRoom(workspaceId)).fetchSockets();
    const seen = new Map<string, PresenceMember>();
    for (const s of sockets) {
      if (!s.data.presence?.has(workspaceId)) continue;
      const member = { userId: s.data.user.id, name: s.data.user.name, resource: s.data.presence.get(workspaceId) ?? null };
      // One entry per person; a person with several tabs shows where they moved last.
      if (!seen.has(member.userId) || member.resource) seen.set(member.userId, member);
    }
    // Not volatile: a joiner must get the list even when its connection is busy with a replay.
    io.to(workspaceRoom(workspaceId)).emit("presence", { workspaceId, members: [...seen.values()] });
  }

  /** Ends the live connections whose credential a change has just invalidated. */
  async function disconnectRevoked(userId: string, revoked: (credential: SocketData["credential"]) => boolean) {
    for (const s of await io.in(userRoom(userId)).fetchSockets()) {
      if (revoked(s.data.credential)) s.disconnect(true);
    }
  }

  const unsubscribe = subscribeToEvents((event) => {
    if (event.type === "token.revoked") {
      void disconnectRevoked(event.actor.id, (c) => c.via === "token" && c.tokenId === event.target.id);
    }
    if (event.type === "user.password_changed") {
      // Every session of the user has ended; a browser that still holds a valid
      // (new) cookie reconnects and authenticates again.
      void disconnectRevoked(event.actor.id, (c) => c.via === "session");
    }
    if (!event.workspaceId) return;
    io.to(workspaceRoom(event.workspaceId)).emit("event", event);
    if (event.type === "member.removed") {
      // A removed member stops hearing the workspace at once, on every device.
      const workspaceId = event.workspaceId;
      io.in(userRoom(event.target.id)).socketsLeave(workspaceRoom(workspaceId));
      void io.in(userRoom(event.target.id)).fetchSockets().then((sockets) => {
        for (const s of sockets) s.data.presence?.delete(workspaceId);
        broadcastPresence(workspaceId);
      });
    }
  });

  const unsubscribeNotices = subscribeToUserNotices((notice) => {
    io.to(userRoom(notice.userId)).emit("notification", { unreadNotifications: notice.unreadNotifications });
  });

  const unsubscribeSessionEnds = subscribeToSessionEnds(({ userId, sessionId }) => {
    void disconnectRevoked(userId, (c) => c.via === "session" && c.sessionId === sessionId);
  });

  return {
    io,
    /** Disconnects every socket and stops the engine; the HTTP server is closed by its owner. */
    close() {
      for (const timer of presenceTimers.values()) clearTimeout(timer);
      presenceTimers.clear();
      unsubscribe();
      unsubscribeNotices();
      unsubscribeSessionEnds();
      io.disconnectSockets(true);
      void io.close();
    },
  };
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, reply: Ack): z.output<S> | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  reply({ ok: false, error: { code: "validation_failed", message: result.error.issues[0]?.message ?? "Invalid message." } });
  return undefined;
}
