/**
 * Where to send someone after signing in: only a path on this site, so a
 * crafted link cannot bounce a fresh session to another site. Browsers strip
 * tabs and newlines from URLs ("/\t/evil" becomes "//evil"), so any control
 * character or whitespace is refused too.
 */
export function safeRedirectPath(to: unknown, fallback = "/workspaces"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a redirect target with a control character is refused.
  if (/[\u0000-\u001f\u007f\s\\]/.test(to) || to.startsWith("//")) return fallback;
  return to;
}
