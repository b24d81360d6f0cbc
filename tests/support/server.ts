/**
 * Starts the real server (the built app) as a child process on a free port
 * with its own SQLite file, for integration and end-to-end tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface TestServer {
  url: string;
  databasePath: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  process: ChildProcess;
}

export interface StartOptions {
  /** Modules loaded into the server process before it starts (`node --import`), e.g. a test probe. */
  preload?: string[];
}

export async function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-test-"));
  const databasePath = env.DATABASE_PATH ?? path.join(dir, "test.sqlite");
  const preload = (options.preload ?? []).flatMap((module) => ["--import", module]);
  const child = spawn(process.execPath, ["--import", "tsx", ...preload, "server/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      SEED_DEMO: "0",
      // Tests from one machine share an IP; the per-IP limit gets its own test.
      LOGIN_ATTEMPTS_PER_IP: "10000",
      ...env,
      DATABASE_PATH: databasePath,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${output}`));
    });
  });

  let exited: Promise<number | null> | undefined;
  return {
    url,
    databasePath,
    process: child,
    output: () => output,
    stop() {
      exited ??= new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      });
      return exited;
    },
  };
}

/**
 * A server for the enclosing test file or describe block: started before its
 * tests, stopped after them. The answer reads the running server; touch it
 * inside a test or hook.
 */
export interface ManagedServer extends TestServer {
  /** Stops the server and starts it again on the same database, as after a restart in production. */
  restart(): Promise<void>;
}

export function useServer(env: Record<string, string> = {}, options: StartOptions = {}): ManagedServer {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startServer(env, options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = () => {
    if (!started) throw new Error("the test server is not running (read it inside a test or hook)");
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get databasePath() {
      return current().databasePath;
    },
    get process() {
      return current().process;
    },
    output: () => current().output(),
    stop: () => current().stop(),
    async restart() {
      const databasePath = current().databasePath;
      await current().stop();
      started = await startServer({ ...env, DATABASE_PATH: databasePath }, options);
    },
  };
}
