/**
 * Reading a client's command. The shared types say what a well-behaved client
 * sends; what actually arrived is checked against the schemas in
 * app/schemas/realtime.ts before anything acts on it.
 */
import type { z } from "zod";
import type { Acknowledge } from "#app/realtime/live-channel.ts";

/** The command's acknowledgement, or a no-op when the client asked for none. */
export function replyTo(ack: unknown): Acknowledge {
  return typeof ack === "function" ? (ack as Acknowledge) : () => {};
}

/** The message if it matches the schema; otherwise refuses the command (validation_failed) and returns undefined. */
export function readCommand<S extends z.ZodType>(schema: S, raw: unknown, reply: Acknowledge): z.output<S> | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  reply({ ok: false, error: { code: "validation_failed", message: result.error.issues[0]?.message ?? "Invalid message." } });
  return undefined;
}
