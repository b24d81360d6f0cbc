/**
 * Where to send someone after signing in: only a path on this site, so a
 * crafted link cannot bounce a fresh session to another site.
 */
export function safeRedirectPath(to: unknown, fallback = "/workspaces"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
