/**
 * Starts the real server (the built app) as a child process on a free port
 * with a database of its own, for integration and end-to-end tests: a fresh
 * SQLite file by default, or a fresh PostgreSQL database when
 * TEST_DATABASE_ENGINE=postgres (tests/support/database.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { TestDatabase } from "./database.ts";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface TestServer {
  url: string;
  /** The SQLite file; for SQLite-only checks (throws on PostgreSQL: use `database`). */
  databasePath: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  process: ChildProcess;
}

/** A server started here, with its database on either engine. */
export interface StartedServer extends TestServer {
  database: TestDatabase;
}

export interface StartOptions {
  /** Modules loaded into the server process before it starts (`node --import`), e.g. a test probe. */
  preload?: string[];
  /** Serve this database (left in place when the server stops) instead of a fresh one. */
  database?: TestDatabase;
}

/** Stops a child process, once; resolves with its exit code (also when it had already died, e.g. of SIGKILL). */
function stopper(child: ChildProcess): () => Promise<number | null> {
  let exited: Promise<number | null> | undefined;
  return () => {
    exited ??= new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
    return exited;
  };
}

/** Starts the server process on `database`; stopping it drops the database only when `dropOnStop` says so. */
async function launch(
  database: TestDatabase,
  env: Record<string, string>,
  options: StartOptions,
  dropOnStop = false,
): Promise<StartedServer> {
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
      ...database.serverEnv(),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const stopProcess = stopper(child);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running on a database that is about to be dropped.
      void stopProcess();
      reject(new Error(`server did not start on the ${database.describe()}:\n${output}`));
    }, 30_000);
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

  // The tests below read and write this database; make sure it is the one the server serves.
  if ((await database.appliedMigrations()) === 0) {
    await stopProcess();
    throw new Error(`the server started but did not migrate the ${database.describe()}: it serves another database\n${output}`);
  }

  return {
    url,
    database,
    get databasePath() {
      return database.path;
    },
    process: child,
    output: () => output,
    async stop() {
      const code = await stopProcess();
      if (dropOnStop) await database.dispose();
      return code;
    },
  };
}

/**
 * Starts a server on a fresh database of the configured engine, dropped when
 * the server stops (PostgreSQL; a SQLite file stays in its temporary folder).
 * A caller naming DATABASE_PATH or DATABASE_URL in `env`, or passing
 * `options.database`, gets that database instead, left in place.
 */
export async function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<StartedServer> {
  const given = options.database ?? TestDatabase.named(env);
  const database = given ?? (await TestDatabase.fresh());
  // Only a database made here goes with the server; one the caller gave outlives it.
  const madeHere = given === undefined;
  const { DATABASE_PATH: _path, DATABASE_URL: _url, ...settings } = env;
  try {
    return await launch(database, settings, options, madeHere);
  } catch (error) {
    if (madeHere) await database.dispose();
    throw error;
  }
}

/**
 * A server for the enclosing test file or describe block: started before its
 * tests, stopped after them. The answer reads the running server; touch it
 * inside a test or hook.
 */
export interface ManagedServer extends StartedServer {
  /** Stops the server and starts it again on the same database, as after a restart in production. */
  restart(): Promise<void>;
}

export function useServer(env: Record<string, string> = {}, options: StartOptions = {}): ManagedServer {
  let started: StartedServer | undefined;
  /** The database made for this server, dropped after the last test (a database the caller gave is left alone). */
  let madeHere: TestDatabase | undefined;
  const { DATABASE_PATH: _path, DATABASE_URL: _url, ...settings } = env;
  beforeAll(async () => {
    const given = options.database ?? TestDatabase.named(env);
    if (!given) madeHere = await TestDatabase.fresh();
    started = await launch((given ?? madeHere)!, settings, options);
  });
  afterAll(async () => {
    await started?.stop();
    await madeHere?.dispose();
  });
  const current = () => {
    if (!started) throw new Error("the test server is not running (read it inside a test or hook)");
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get database() {
      return current().database;
    },
    get databasePath() {
      return current().databasePath;
    },
    get process() {
      return current().process;
    },
    output: () => current().output(),
    /** Stops the server for good: its database goes too. */
    async stop() {
      const code = await current().stop();
      await madeHere?.dispose();
      return code;
    },
    async restart() {
      await current().stop();
      started = await launch(current().database, settings, options);
    },
  };
}
