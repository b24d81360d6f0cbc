/**
 * The layering of docs/architecture.md, checked on the source: which folder
 * may import which (the public shapes below the services: decision 015), and
 * no import cycles anywhere in app/, db/ or server/. A type-only import counts too: the
 * rule is about what each layer knows, and one enum import once pulled zod
 * into the browser.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "#tests/support/routes.ts";

interface SourceFile {
  file: string;
  imports: string[];
}

const SOURCE_ROOTS = ["app", "db", "server"];

function listSources(dir: string): string[] {
  return fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "migrations" ? [] : listSources(relative);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The project files a file imports (packages left out), as paths from the project root. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    let target: string | null = null;
    if (specifier.startsWith("#app/")) target = path.join("app", specifier.slice(5));
    else if (specifier.startsWith("#db/")) target = path.join("db", specifier.slice(4));
    else if (specifier.startsWith("#server/")) target = path.join("server", specifier.slice(8));
    else if (specifier.startsWith(".")) target = path.normalize(path.join(path.dirname(file), specifier));
    if (target) found.push(target);
  }
  return found;
}

const sources: SourceFile[] = SOURCE_ROOTS.flatMap(listSources).map((file) => ({ file, imports: importsOf(file) }));

const layer = (file: string) => {
  if (file.startsWith("app/domain/")) return "domain";
  if (file.startsWith("app/schemas/")) return "schemas";
  if (file.startsWith("app/public-shapes/")) return "public-shapes";
  if (file.startsWith("app/services/")) return "services";
  if (file.startsWith("app/http/")) return "http";
  if (file.startsWith("app/routes/")) return "routes";
  if (file.startsWith("app/components/")) return "components";
  if (file.startsWith("app/realtime/")) return "realtime";
  // The demo seed creates its consortium through the services, as a person would.
  if (file === "db/seed.ts" || file.startsWith("db/seed/")) return "seed";
  if (file.startsWith("db/")) return "db";
  if (file.startsWith("server/")) return "server";
  return "app";
};

/** For each layer, the layers it must never import. */
const FORBIDDEN: Record<string, string[]> = {
  domain: ["db", "schemas", "services", "http", "routes", "components", "realtime", "server"],
  schemas: ["db", "services", "http", "public-shapes", "routes", "components", "realtime", "server"],
  // The serializers typed by the schemas: services (409 bodies, event payloads) and routes both use them.
  "public-shapes": ["services", "http", "routes", "components", "realtime", "server"],
  db: ["services", "http", "routes", "components", "realtime", "server"],
  services: ["http", "routes", "components", "realtime", "server"],
  http: ["routes", "components", "realtime", "server"],
  routes: ["db", "server"],
  // A component may read a route's loader data by type (useRouteLoaderData<typeof loader>).
  components: ["db", "services", "http", "server"],
  realtime: ["db", "services", "http", "routes", "server"],
};

describe("the layers of the code", () => {
  it("finds the project's sources and their imports", () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.find((s) => s.file === "server/index.ts")?.imports.length).toBeGreaterThan(5);
  });

  it("imports only downward: the domain knows no database, services know no HTTP, the browser's code knows no services", () => {
    const violations = sources.flatMap(({ file, imports }) =>
      imports.filter((target) => (FORBIDDEN[layer(file)] ?? []).includes(layer(target))).map((target) => `${file} → ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(sources.map((s) => [s.file, s.imports.filter((t) => t !== s.file)]));
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, "visiting");
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});

describe("live pages", () => {
  // Without a declaration Remix reloads a route's loader on every live event (docs/decisions/028).
  it("every page inside a workspace says which events make its loader stale", () => {
    const routes = fs
      .readdirSync(path.join(projectRoot, "app", "routes"))
      .filter((name) => name.startsWith("workspaces.$workspaceId") && name.endsWith(".tsx"));
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((name) => {
      const source = fs.readFileSync(path.join(projectRoot, "app", "routes", name), "utf8");
      return source.includes("export async function loader") && !source.includes("export const shouldRevalidate = revalidateOnLiveEvents(");
    });
    expect(undeclared).toEqual([]);
  });
});
