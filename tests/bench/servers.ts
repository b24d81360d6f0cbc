/**
 * The servers of one bench run: each is the real built app on 127.0.0.1 with
 * its own temporary SQLite file (or a scratch PostgreSQL database, postgres.ts).
 * Every server started here is tracked so that `stopAll` (called in a finally,
 * on a signal and by the watchdog) stops it, then releases what the servers
 * were using (scratch databases, Redis keys) through `releaseAfterServers`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type StartedServer, type StartOptions, startServer, type TestServer } from "../support/server.ts";

const started: TestServer[] = [];
/** Bench scripts run as their own processes (runBenchScript), stopped with the servers. */
const scripts = new Set<ChildProcess>();

function removeDatabaseDir(server: TestServer) {
  if (!server.databasePath) return;
  const dir = path.dirname(server.databasePath);
  // startServer puts the database alone in its own mkdtemp directory.
  if (path.basename(dir).startsWith("consilience-test-")) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts a server; retries a couple of times (a concurrent `remix build` can make a start fail).
 * `options.database` serves a database the caller made (e.g. two servers one after the other on one file).
 */
export async function startBenchServer(env: Record<string, string> = {}, attempts = 3, options: StartOptions = {}): Promise<StartedServer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const server = await startServer({ SEED_DEMO: "0", ...env }, options);
      started.push(server);
      const host = new URL(server.url).hostname;
      if (host !== "127.0.0.1") throw new Error(`bench servers must listen on 127.0.0.1, got ${server.url}`);
      return server;
    } catch (error) {
      lastError = error;
      // startServer gives up after 30 s without handing back the child; stop it ourselves.
      killUntrackedServerChildren();
      if (attempt < attempts) {
        console.error(`server did not start (attempt ${attempt} of ${attempts}); retrying in 2 s`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }
  throw lastError;
}

/**
 * The fan-out baseline (tests/bench/bare-socket-server.ts) as its own process
 * on 127.0.0.1, tracked like the app servers so `stopAll` stops it too.
 */
export async function startBareSocketServer(): Promise<TestServer> {
  const file = fileURLToPath(new URL("./bare-socket-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  let exited: Promise<number | null> | undefined;
  const server: TestServer = {
    url: "",
    databasePath: "",
    process: child,
    output: () => output,
    stop() {
      exited ??= new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      });
      return exited;
    },
  };
  started.push(server);
  server.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare socket server did not start:\n${output}`)), 15_000);
    child.stdout!.on("data", () => {
      const match = /bare socket server at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bare socket server exited with ${code}:\n${output}`));
    });
  });
  return server;
}

/**
 * Runs a bench that must have a process of its own (it sets its database up
 * through environment variables before importing the app's modules) and
 * answers what it printed. Killed with the servers if the run is stopped.
 */
export async function runBenchScript(file: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL(file, import.meta.url)), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  scripts.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  scripts.delete(child);
  if (code !== 0) throw new Error(`${file} exited with ${code}:\n${stdout}\n${stderr}`);
  return stdout;
}

/**
 * Direct children of this process that run the server but are not tracked
 * (a start that timed out): found by pid under /proc/self (Linux), so only
 * processes this run spawned are touched.
 */
function killUntrackedServerChildren() {
  const tracked = new Set(started.map((s) => s.process.pid));
  try {
    for (const task of fs.readdirSync("/proc/self/task")) {
      const children = fs.readFileSync(`/proc/self/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      for (const pid of children.map(Number)) {
        if (tracked.has(pid)) continue;
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (cmdline.includes("server/index.ts")) process.kill(pid, "SIGTERM");
      }
    }
  } catch {
    // Not Linux, or the child is already gone.
  }
}

const stopping: Promise<void>[] = [];
/** Clean-ups that must wait until no server uses the thing any more (a database is dropped after its clients left). */
const releases: (() => Promise<void>)[] = [];

/** Runs `release` once, in the next `stopAll`, after every server has stopped. */
export function releaseAfterServers(release: () => Promise<void>): void {
  releases.push(release);
}

/**
 * Stops every server this run started and removes its database, then runs the
 * releases registered so far. Safe to call more than once and from several
 * places at once: every call waits until all stops and releases begun so far
 * (by any caller) have finished.
 */
export async function stopAll(): Promise<void> {
  for (const child of scripts) child.kill("SIGTERM");
  const servers = started.splice(0);
  const stopped = servers.map(async (server) => {
    const timer = setTimeout(() => server.process.kill("SIGKILL"), 10_000);
    try {
      await server.stop();
    } finally {
      clearTimeout(timer);
      removeDatabaseDir(server);
    }
  });
  stopping.push(...stopped);
  const pending = releases.splice(0);
  if (pending.length) {
    // After every stop begun so far, including other callers' (a scratch database is dropped once nothing uses it).
    const before = [...stopping];
    stopping.push(
      (async () => {
        await Promise.allSettled(before);
        const results = await Promise.allSettled(pending.map((release) => release()));
        for (const result of results) {
          if (result.status === "rejected") console.error("bench: a clean-up failed:", result.reason);
        }
      })(),
    );
  }
  await Promise.allSettled(stopping);
}

/** Last resort when the process is about to exit: signal whatever is still running. */
export function killAllSync(): void {
  for (const child of scripts) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  for (const server of started) {
    if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill("SIGTERM");
  }
}
