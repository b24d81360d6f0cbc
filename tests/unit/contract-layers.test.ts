/**
 * The public shapes sit below the services (docs/decisions/015-one-contract.md):
 * the zod schemas and the serializers typed against them import nothing from the
 * services or the HTTP plumbing, the services take their shapes from there and
 * never from app/http, and no module of these layers reaches itself through its
 * imports (type-only imports count: a type cycle still ties the layers together).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "#tests/support/routes.ts";

/** Every module under app/, with the app modules it imports (`#app/…` and relative paths). */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (/\.tsx?$/.test(entry.name)) files.push(relative);
    }
  };
  walk("app");
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const source = fs.readFileSync(path.join(projectRoot, file), "utf8");
      const specifiers = [...source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);
      const targets = specifiers.flatMap((s) => {
        if (s.startsWith("#app/")) return [`app/${s.slice("#app/".length)}`];
        if (s.startsWith(".")) return [path.posix.normalize(path.posix.join(path.posix.dirname(file), s))];
        return [];
      });
      return [file, targets.filter((t) => known.has(t))];
    }),
  );
}

/** Groups of modules that import each other, directly or round a loop (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const importsInto = (graph: Map<string, string[]>, from: string, into: string[]) =>
  [...graph]
    .filter(([file]) => file.startsWith(from))
    .flatMap(([file, targets]) => targets.filter((t) => into.some((layer) => t.startsWith(layer))).map((t) => `${file} → ${t}`));

describe("the layers of the public contract", () => {
  const graph = importGraph();

  it("finds the modules it checks", () => {
    expect(graph.get("app/services/panels.server.ts")).toContain("app/public-shapes/panels.ts");
  });

  it("keeps the zod shapes and the serializers below the services and the HTTP plumbing", () => {
    expect(importsInto(graph, "app/schemas/", ["app/services/", "app/http/", "app/public-shapes/", "app/routes/"])).toEqual([]);
    expect(importsInto(graph, "app/public-shapes/", ["app/services/", "app/http/", "app/routes/"])).toEqual([]);
  });

  it("lets no service import from app/http", () => {
    expect(importsInto(graph, "app/services/", ["app/http/"])).toEqual([]);
  });

  it("has no import cycle through the shapes, the serializers or the HTTP plumbing", () => {
    const layers = ["app/schemas/", "app/public-shapes/", "app/http/"];
    expect(cycles(graph).filter((cycle) => cycle.some((file) => layers.some((layer) => file.startsWith(layer))))).toEqual([]);
  });
});
