/**
 * Live documents on the live channel (a protocol's live draft, Yjs; docs/api.md
 * "Live channel", docs/decisions/024). A socket joins a document only after the
 * services' membership check; its updates are stored by the services before
 * they are acknowledged, and relayed to the document's other sockets, on every
 * process, through the adapter. Awareness (cursors, names) is relayed and
 * never stored.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { decodeUpdate, encodeUpdate } from "#app/domain/live-document.ts";
import { env } from "#app/env.server.ts";
import type { LiveError } from "#app/realtime/live-channel.ts";
import { DocumentAwarenessMessage, DocumentUpdateMessage, JoinDocumentMessage, LeaveDocumentMessage } from "#app/schemas/realtime.ts";
import { isServiceError } from "#app/services/errors.server.ts";
import { applyLiveUpdate, openLiveDraft } from "#app/services/protocol-drafts.server.ts";
import type { DraftUpdate } from "#app/services/realtime-hub.server.ts";
import { readCommand, replyTo } from "./commands.ts";
import type { LiveServer, LiveSocket } from "./sockets.ts";

/** Every socket in one protocol's live document. */
export const documentRoom = (workspaceId: string, protocolId: string) => `doc:${workspaceId}:${protocolId}`;
const documentRoomsOf = (workspaceId: string) => `doc:${workspaceId}:`;

const NOT_JOINED: LiveError = { code: "forbidden", message: "Open the document first (doc:join); only members may edit it." };
const RATE_LIMITED: LiveError = { code: "rate_limited", message: "Too many document messages from this connection; slow down." };

/** The document room this socket joined for `protocolId`, if any. */
function joinedRoom(socket: LiveSocket, protocolId: string): string | undefined {
  for (const room of socket.rooms) if (room.startsWith("doc:") && room.endsWith(`:${protocolId}`)) return room;
  return undefined;
}

const workspaceOf = (room: string) => room.split(":")[1];

/** What a service refusal says on the channel; an unexpected failure is logged and named only as such. */
function refusal(error: unknown, what: string): LiveError {
  if (isServiceError(error)) return { code: error.code === "not_found" ? "forbidden" : error.code, message: error.message };
  console.error(`${what} failed`, error);
  return { code: "internal", message: `${what} failed; try again.` };
}

export function handleDocumentCommands(socket: LiveSocket, withinBudget: (socket: LiveSocket) => Promise<boolean>): void {
  socket.on("doc:join", async (raw, ack) => {
    const reply = typeof ack === "function" ? ack : () => {};
    const message = readCommand(JoinDocumentMessage, raw, replyTo(ack));
    if (!message) return;
    const room = documentRoom(message.workspaceId, message.protocolId);
    try {
      // In the room before the state is read: an update committed in between reaches this socket as well (Yjs takes it twice or in any order).
      const { state, canEdit } = await openLiveDraft(socket.data.user, message.workspaceId, message.protocolId, () => socket.join(room));
      if (!socket.connected) return;
      reply({ ok: true, update: encodeUpdate(state), canEdit });
    } catch (error) {
      socket.leave(room);
      reply({ ok: false, error: refusal(error, "Opening the document") });
    }
  });

  socket.on("doc:update", async (raw, ack) => {
    const reply = replyTo(ack);
    if (!(await withinBudget(socket))) return reply({ ok: false, error: RATE_LIMITED });
    const message = readCommand(DocumentUpdateMessage, raw, reply);
    if (!message) return;
    const room = joinedRoom(socket, message.protocolId);
    if (!room) return reply({ ok: false, error: NOT_JOINED });
    try {
      await applyLiveUpdate(socket.data.user, workspaceOf(room), message.protocolId, decodeUpdate(message.update), socket.id);
      reply({ ok: true });
    } catch (error) {
      reply({ ok: false, error: refusal(error, "Saving the edit") });
    }
  });

  socket.on("doc:awareness", async (raw) => {
    if (!(await withinBudget(socket))) return;
    const result = DocumentAwarenessMessage.safeParse(raw);
    if (!result.success) return;
    const { protocolId, update } = result.data;
    const room = joinedRoom(socket, protocolId);
    if (!room) return;
    const cursor = lastCursor(decodeUpdate(update));
    if (cursor) socket.data.documentCursors[protocolId] = cursor;
    // Volatile: a cursor position that cannot be sent now is worthless later.
    socket.volatile.to(room).emit("doc:awareness", { protocolId, update });
  });

  socket.on("doc:leave", (raw, ack) => {
    const reply = replyTo(ack);
    const message = readCommand(LeaveDocumentMessage, raw, reply);
    if (!message) return;
    const room = joinedRoom(socket, message.protocolId);
    if (room) leaveDocument(socket, room, message.protocolId);
    reply({ ok: true });
  });

  socket.on("disconnecting", () => {
    for (const room of socket.rooms) {
      if (room.startsWith("doc:")) leaveDocument(socket, room, room.slice(room.lastIndexOf(":") + 1));
    }
  });
}

/** The socket leaves; the others stop showing its cursor at once instead of after awareness's 30-second timeout. */
function leaveDocument(socket: LiveSocket, room: string, protocolId: string): void {
  const cursor = socket.data.documentCursors[protocolId];
  delete socket.data.documentCursors[protocolId];
  socket.leave(room);
  if (cursor) socket.to(room).emit("doc:awareness", { protocolId, update: encodeUpdate(cursorRemoval(cursor)) });
}

/**
 * The last client an awareness update speaks for, read from y-protocols'
 * encoding (count, then clientID, clock, JSON state for each); null when the
 * bytes are not an awareness update.
 */
function lastCursor(update: Uint8Array): { clientId: number; clock: number } | null {
  try {
    const decoder = decoding.createDecoder(update);
    let last: { clientId: number; clock: number } | null = null;
    for (let n = decoding.readVarUint(decoder); n > 0; n--) {
      last = { clientId: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder) };
      decoding.readVarString(decoder);
    }
    return last;
  } catch {
    return null;
  }
}

/** An awareness update saying the client is gone (state null, one tick later), as y-protocols' removeAwarenessStates writes it. */
function cursorRemoval(cursor: { clientId: number; clock: number }): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, cursor.clientId);
  encoding.writeVarUint(encoder, cursor.clock + 1);
  encoding.writeVarString(encoder, "null");
  return encoding.toUint8Array(encoder);
}

/** A committed edit reaches every socket in the document, on every process, except the one that sent it. */
export function relayDraftUpdate(io: LiveServer, change: DraftUpdate): void {
  const room = documentRoom(change.workspaceId, change.protocolId);
  const message = { protocolId: change.protocolId, update: encodeUpdate(change.update) };
  if (change.fromSocket) io.to(room).except(change.fromSocket).emit("doc:update", message);
  else io.to(room).emit("doc:update", message);
}

/** A removed member's document connections end at once, on every process. */
export async function closeDocumentsOf(io: LiveServer, userRoom: string, workspaceId: string): Promise<void> {
  for (const s of await io.in(userRoom).fetchSockets()) {
    for (const room of s.rooms) {
      if (!room.startsWith(documentRoomsOf(workspaceId))) continue;
      s.leave(room);
      s.emit("doc:closed", { protocolId: room.slice(room.lastIndexOf(":") + 1), reason: "You are no longer a member of this workspace." });
    }
  }
}

/** Keystrokes and cursors have a budget of their own, larger than other messages' (they come in bursts). */
export function documentBudget(): (socket: LiveSocket) => Promise<boolean> {
  const budget = new RateLimiterMemory({ keyPrefix: "document-messages", points: env().DOCUMENT_MESSAGES_PER_10S, duration: 10 });
  return (socket) =>
    budget.consume(socket.id).then(
      () => true,
      () => false,
    );
}
