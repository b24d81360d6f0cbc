/**
 * Runs after `remix build`: no route chunk of the browser bundle may exceed
 * 100 KB minified unless a reason is recorded below. A route chunk is what a
 * page downloads on top of the shared chunks (React, Remix); one careless
 * import (a zod schema, a server helper) once made a 459 KB page.
 *
 *   node --import tsx tests/support/bundle-budget.ts [public/build]
 */
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./routes.ts";

export const ROUTE_CHUNK_BUDGET_BYTES = 100 * 1024;

/** Route chunks allowed over the budget, by route file name, with the reason. None today. */
const RECORDED_EXCEPTIONS: Record<string, string> = {};

export interface ChunkSize {
  route: string;
  file: string;
  bytes: number;
}

/** The size of each route chunk in a Remix build directory (`public/build`). */
export function routeChunkSizes(buildDir: string): ChunkSize[] {
  const routesDir = path.join(buildDir, "routes");
  return fs
    .readdirSync(routesDir)
    .filter((f) => f.endsWith(".js"))
    .map((file) => ({ route: file.replace(/-[A-Z0-9]{8}\.js$/, ""), file, bytes: fs.statSync(path.join(routesDir, file)).size }))
    .sort((a, b) => b.bytes - a.bytes);
}

export function overBudget(sizes: ChunkSize[]): ChunkSize[] {
  return sizes.filter((s) => s.bytes > ROUTE_CHUNK_BUDGET_BYTES && !(s.route in RECORDED_EXCEPTIONS));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const buildDir = path.resolve(process.argv[2] ?? path.join(projectRoot, "public", "build"));
  const sizes = routeChunkSizes(buildDir);
  const over = overBudget(sizes);
  const largest = sizes[0];
  if (over.length) {
    console.error(`Route chunks over ${ROUTE_CHUNK_BUDGET_BYTES / 1024} KB (a server-only or large import reached the browser?):`);
    for (const s of over) console.error(`  ${s.route}: ${(s.bytes / 1024).toFixed(1)} KB`);
    console.error("Move the import behind a .server.ts module, or record a reason in tests/support/bundle-budget.ts.");
    process.exit(1);
  }
  console.log(
    `Bundle budget: ${sizes.length} route chunks, largest ${largest.route} at ${(largest.bytes / 1024).toFixed(1)} KB (limit ${ROUTE_CHUNK_BUDGET_BYTES / 1024} KB).`,
  );
}
