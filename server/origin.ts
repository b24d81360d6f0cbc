/**
 * Our own origins. The first APP_ORIGIN (comma-separated list) is the public
 * origin every absolute link is built from; without it, the address the
 * server listens on. A request's Host header is never used for a link: the
 * sender chooses it. For the same-origin check of cookie writes, the host the
 * request was sent to also counts as ours, as do all listed origins.
 */

/** The origins listed in APP_ORIGIN, each checked; a malformed one stops start-up with a message. */
export function configuredOrigins(value = process.env.APP_ORIGIN ?? ""): string[] {
  return value
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      let parsed: URL;
      try {
        parsed = new URL(o);
      } catch {
        throw new Error(`APP_ORIGIN: “${o}” is not an origin; write it as https://consilience.example.org`);
      }
      if (!["http:", "https:"].includes(parsed.protocol) || parsed.origin !== o.replace(/\/$/, "")) {
        throw new Error(`APP_ORIGIN: “${o}” is not an origin (scheme, host and port only), e.g. https://consilience.example.org`);
      }
      return parsed.origin;
    });
}

export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host) return true;
  return configuredOrigins().includes(parsed.origin);
}
