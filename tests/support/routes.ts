/**
 * The app's routes as the tests see them: every flat-route file under
 * app/routes and the URL it serves.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** Every route file (the catch-all 404 of the API included). */
export function routeFiles(): string[] {
  return fs.readdirSync(path.join(projectRoot, "app", "routes")).filter((f) => /\.(tsx?|jsx?)$/.test(f));
}

export const isApiRoute = (file: string) => file.startsWith("api.v1.");
/** A page draws something (a default export); a resource route (e.g. a preview a page fetches) does not. */
export const isPageRoute = (file: string) =>
  !isApiRoute(file) && /^export default /m.test(fs.readFileSync(path.join(projectRoot, "app", "routes", file), "utf8"));
export const isApiCatchAll = (file: string) => /^api\.v1\.\$\.(tsx?|jsx?)$/.test(file);

/**
 * Remix flat-route file name → URL path: dots separate segments, `$param` is
 * a `{param}` placeholder, `[...]` is literal text, `_index` and `_`-prefixed
 * (pathless) segments add nothing, a trailing `_` opts out of the parent's layout.
 */
export function routePath(fileName: string): string {
  const name = fileName.replace(/\.(tsx?|jsx?)$/, "");
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of name) {
    if (char === "[") escaped = true;
    else if (char === "]") escaped = false;
    else if (char === "." && !escaped) {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  return (
    "/" +
    segments
      .filter((s) => s !== "_index" && !s.startsWith("_"))
      .map((s) => s.replace(/_$/, ""))
      .map((s) => (s.startsWith("$") ? `{${s.slice(1)}}` : s))
      .join("/")
  );
}

/** Fills `{param}` placeholders from `ids` (URL-encoded); a missing id reads `missing-<param>`. */
export function fillPath(template: string, ids: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(ids[p] ?? `missing-${p}`));
}
