/**
 * `npm run dev`: the app as a developer runs it. `remix watch` rebuilds the
 * browser and server bundles on every change under app/, and the server runs
 * under `node --watch`, which restarts it when the build or any server-side
 * module it loaded changes. NODE_ENV=development (no Secure cookie flag, so
 * plain http://localhost works). Ctrl+C stops both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

const children: ChildProcess[] = [];
function run(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
  children.push(child);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${path.basename(command)} stopped (${code ?? "signal"}); stopping the dev server.`);
      stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => stop());
process.on("SIGTERM", () => stop());

// The server imports build/index.js at start: build once before watching.
const first = spawn(bin("remix"), ["build"], { cwd: root, env, stdio: "inherit" });
first.on("exit", (code) => {
  if (code !== 0 || !fs.existsSync(path.join(root, "build", "index.js"))) {
    console.error("The first build failed: fix the error above and run `npm run dev` again.");
    process.exit(code ?? 1);
  }
  run(bin("remix"), ["watch"]);
  run(process.execPath, ["--watch", "--watch-preserve-output", "--import", "tsx", "server/index.ts"]);
});
