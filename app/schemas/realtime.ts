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
