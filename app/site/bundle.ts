/**
 * Bundles the site command (app/site/consilience-site.ts) with the domain code
 * it uses into one self-contained file, public/downloads/consilience-site.mjs,
 * which the server serves at /downloads/consilience-site.mjs. Part of
 * `npm run build`. Not minified: the partner's IT reviews what it runs.
 *
 * The build fails when the bundle would import anything at run time besides
 * Node's built-ins, or take in zod (the site reads a kit the app wrote, it
 * does not need request validation).
 *
 *   node --import tsx app/site/bundle.ts
 */
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SITE_SCRIPT = path.join(root, "public", "downloads", "consilience-site.mjs");

const result = await build({
  entryPoints: [path.join(root, "app", "site", "consilience-site.ts")],
  outfile: SITE_SCRIPT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node18",
  metafile: true,
  legalComments: "inline",
  logLevel: "warning",
  banner: {
    js: [
      "#!/usr/bin/env node",
      "// consilience-site: summaries of participant-level data that cannot leave a site.",
      "// Usage: node consilience-site.mjs summarise data.csv --kit site-kit.json [--out site-summary.json]",
      "// One file, Node >= 18, no network: built from Consilience's own code (app/site/consilience-site.ts).",
    ].join("\n"),
  },
});

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const external = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !builtins.has(i.path)));
if (external.length > 0) throw new Error(`The site script imports more than Node's built-ins: ${external.map((i) => i.path).join(", ")}`);
const zod = Object.keys(result.metafile.inputs).filter((file) => /node_modules\/zod\//.test(file));
if (zod.length > 0) throw new Error(`The site script takes in zod (${zod[0]}): a domain module it uses imports it.`);

// A bundled CommonJS package that requires a module esbuild could not inline would fail at the partner's, not here.
if (fs.readFileSync(SITE_SCRIPT, "utf8").includes("Dynamic require of")) {
  throw new Error("The site script would require() a module at run time; bundle it or import it as ESM.");
}

const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.log(`Site script: ${path.relative(root, SITE_SCRIPT)} (${(bytes / 1024).toFixed(0)} KB).`);
