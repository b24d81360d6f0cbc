/**
 * Same-origin rules, shared by the HTTP middleware and the Socket.IO handshake.
 * Our own origin is the host the request was sent to, plus any listed in
 * APP_ORIGIN (comma-separated) for deployments behind a proxy.
 */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host) return true;
  const configured = (process.env.APP_ORIGIN ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  return configured.includes(parsed.origin);
}
