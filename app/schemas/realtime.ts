/**
 * Payloads of the live channel's client → server messages (see docs/api.md, "Live channel"):
 * the server validates every one with these, and app/realtime/live-channel.ts
 * derives the messages' TypeScript types from them.
 */
import { z } from "zod";

const workspaceId = z.string({ error: "workspaceId is required." }).min(1).max(64);

export const JoinWorkspaceMessage = z.object({
  workspaceId,
  afterEventId: z.union([z.string().regex(/^\d+$/, "afterEventId must be an event id."), z.number().int().min(0)]).optional(),
});

export const LeaveWorkspaceMessage = z.object({ workspaceId });

export const PresenceMessage = z.object({
  workspaceId,
  resource: z.string().max(200).nullable().default(null),
});

export const TypingMessage = z.object({
  workspaceId,
  target: z.object({ type: z.string().min(1).max(40), id: z.string().min(1).max(64) }),
});

// Live documents (a protocol's live draft, Yjs): docs/api.md, "Live channel".

const protocolId = z.string({ error: "protocolId is required." }).min(1).max(64);
/** A Yjs update (or awareness update), base64; at most `maxBytes` once decoded. */
const base64Bytes = (what: string, maxBytes: number) =>
  z
    .string({ error: `${what} must be base64 text.` })
    .max(Math.ceil(maxBytes / 3) * 4, `${what} is too large (at most ${maxBytes.toLocaleString("en")} bytes).`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, `${what} must be base64 text.`);

export const MAX_DOCUMENT_UPDATE_BYTES = 1_000_000;

export const JoinDocumentMessage = z.object({ workspaceId, protocolId });
export const LeaveDocumentMessage = z.object({ protocolId });
export const DocumentUpdateMessage = z.object({ protocolId, update: base64Bytes("update", MAX_DOCUMENT_UPDATE_BYTES) });
export const DocumentAwarenessMessage = z.object({ protocolId, update: base64Bytes("update", 20_000) });
