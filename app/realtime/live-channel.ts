/**
 * The live channel's messages, typed once for both ends (the Socket.IO
 * TypeScript pattern): the server's `Server<…>` and the browser's `Socket<…>`
 * are built from these maps, so an event name or a payload that does not
 * match is a type error on either side. The wire format is docs/api.md's
 * "Live channel" and docs/decisions/005-live-channel.md.
 *
 * Types only: the imports below are type imports, so neither zod nor any
 * server code reaches the browser bundle through this module.
 */
import type { z } from "zod";
import type { PublicEvent } from "#app/domain/events.ts";
import type { DatasetImportProgress } from "#app/domain/dataset-import-progress.ts";
import type {
  DocumentAwarenessMessage,
  DocumentUpdateMessage,
  JoinDocumentMessage,
  JoinWorkspaceMessage,
  LeaveDocumentMessage,
  LeaveWorkspaceMessage,
  PresenceMessage,
  TypingMessage,
} from "#app/schemas/realtime.ts";

// Client → server. The server validates every payload with the schemas in
// app/schemas/realtime.ts; these are their input side (what a client may send
// before a default fills a field in).
export type JoinWorkspace = z.input<typeof JoinWorkspaceMessage>;
export type LeaveWorkspace = z.input<typeof LeaveWorkspaceMessage>;
export type SetPresence = z.input<typeof PresenceMessage>;
export type Typing = z.input<typeof TypingMessage>;
export type JoinDocument = z.input<typeof JoinDocumentMessage>;
export type LeaveDocument = z.input<typeof LeaveDocumentMessage>;
/** A Yjs update of a live document, base64: from a client, and relayed to the document's other sockets. */
export type DocumentUpdate = z.input<typeof DocumentUpdateMessage>;
/** A y-protocols awareness update (cursors, selections, names), base64: relayed, never stored. */
export type DocumentAwareness = z.input<typeof DocumentAwarenessMessage>;

export interface LiveError {
  code: string;
  message: string;
}
/** The answer to a command: `{ ok: true }` once done, else why not. */
export type LiveAnswer = { ok: true } | { ok: false; error: LiveError };
export type Acknowledge = (answer: LiveAnswer) => void;
/** The answer to `doc:join`: the server's whole document (`Y.encodeStateAsUpdate`, base64), and whether this member may edit it. */
export type DocumentJoinAnswer = { ok: true; update: string; canEdit: boolean } | { ok: false; error: LiveError };

export interface ClientToServerEvents {
  /** Acknowledged once every event after `afterEventId` has been sent, in id order. */
  "workspace:join": (message: JoinWorkspace, ack?: Acknowledge) => void;
  "workspace:leave": (message: LeaveWorkspace, ack?: Acknowledge) => void;
  "presence:set": (message: SetPresence, ack?: Acknowledge) => void;
  typing: (message: Typing) => void;
  "doc:join": (message: JoinDocument, ack?: (answer: DocumentJoinAnswer) => void) => void;
  /** Acknowledged `{ok: true}` only once the update is stored: a crash after the answer loses nothing. */
  "doc:update": (message: DocumentUpdate, ack?: Acknowledge) => void;
  "doc:awareness": (message: DocumentAwareness) => void;
  "doc:leave": (message: LeaveDocument, ack?: Acknowledge) => void;
}

// Server → client.
export interface PresenceMember {
  userId: string;
  name: string;
  /** What they are looking at (e.g. "protocol:<id>"), or null. */
  resource: string | null;
}
/** Who is in a workspace now: one entry per person. */
export interface PresenceList {
  workspaceId: string;
  members: PresenceMember[];
}
export interface TypingNotice {
  workspaceId: string;
  target: { type: string; id: string };
  user: { id: string; name: string };
}
/** A nudge for one person: their unread notifications changed. */
export interface NotificationNudge {
  unreadNotifications: number;
}

export interface ServerToClientEvents {
  /** A committed change in a joined workspace (the same as GET …/events). */
  event: (event: PublicEvent) => void;
  presence: (message: PresenceList) => void;
  typing: (message: TypingNotice) => void;
  notification: (nudge: NotificationNudge) => void;
  "doc:update": (message: { protocolId: string; update: string }) => void;
  "doc:awareness": (message: { protocolId: string; update: string }) => void;
  /** This socket is no longer in the document (its member was removed): the editor stops. */
  "doc:closed": (message: { protocolId: string; reason: string }) => void;
  /** To the uploader only (their user room): how far their dataset import has come, at most every 250 ms. */
  "dataset:import-progress": (progress: DatasetImportProgress) => void;
  /** A message without an acknowledgement was dropped for flooding. */
  rate_limited: (error: LiveError) => void;
}

/** Nothing travels between server processes but what the adapter carries for rooms. */
/** Between the app's processes (through the adapter): a doorbell, the events themselves are read from the database. */
export interface InterServerEvents {
  "events:committed": (workspaceId: string) => void;
}

/** What the server keeps on each socket (never sent to the browser). */
export interface SocketData {
  user: { id: string; name: string };
  /** The credential the socket authenticated with, so revoking it can end the connection. */
  credential: { via: "session"; sessionId: string } | { via: "token"; tokenId: string };
  /**
   * workspaceId → the resource this socket is looking at there; a key for every joined workspace.
   * A plain object: other processes read it through the adapter, which serialises it.
   */
  presence: Record<string, string | null>;
  /**
   * protocolId → the awareness client this socket last spoke for in that live document (and its clock), so
   * its cursor can be taken away for the others when the socket leaves or drops.
   */
  documentCursors: Record<string, { clientId: number; clock: number }>;
}
