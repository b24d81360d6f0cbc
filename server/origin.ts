/**
 * Our own origins, for the same-origin check of cookie writes and of the live
 * channel's handshake: the host the request was sent to, and every origin
 * listed in APP_ORIGIN (read and checked in app/env.server.ts; the first one
 * is also the public origin links are built from, see server/index.ts).
 */
import { env } from "#app/env.server.ts";

export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host) return true;
  return env().APP_ORIGIN.includes(parsed.origin);
}
