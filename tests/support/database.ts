/**
 * A test server's database, on either engine: the SQLite file of the default
 * set-up, or a PostgreSQL database of its own (TEST_DATABASE_ENGINE=postgres).
 * Tests use it to set up states the API cannot reach quickly (an expired token,
 * an import a crash left half-way) and to check what the database itself holds
 * or refuses. It never stands in for the API's answers.
 *
 * One dialect for both engines: write SQL with `?` placeholders, quote
 * camel-case aliases (`AS "createdAt"`: PostgreSQL folds unquoted names to
 * lower case), and pass a timestamp as a `Date`. Rows come back alike on both,
 * as SQLite stores them: timestamps as milliseconds since the epoch, JSON
 * columns as text, booleans as 1/0, counts and bigint ids as numbers.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export type DatabaseEngine = "sqlite" | "postgres";

const ENGINE_LABELS: Record<DatabaseEngine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

/** The engine tests run on, from TEST_DATABASE_ENGINE (the vitest projects set it). */
export function configuredEngine(): DatabaseEngine {
  const chosen = process.env.TEST_DATABASE_ENGINE || "sqlite";
  if (chosen !== "sqlite" && chosen !== "postgres") {
    throw new Error(`TEST_DATABASE_ENGINE must be "sqlite" or "postgres" (got "${chosen}")`);
  }
  return chosen;
}

export const engineLabel = (engine: DatabaseEngine) => ENGINE_LABELS[engine];

/** The server where each test creates its own PostgreSQL database; the user must be allowed to create databases. */
export function postgresAdminUrl(): string {
  return process.env.TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres";
}

/** The address without its password, for messages. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}

/** An unreachable PostgreSQL fails loudly, naming where it looked and how to fix it, never as a skip. */
function unreachable(error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `PostgreSQL is not reachable at TEST_POSTGRES_URL=${withoutPassword(postgresAdminUrl())} (${reason}). ` +
      "Start it (`pg_ctlcluster 15 main start`) or set TEST_POSTGRES_URL to a server where that user may create databases.",
  );
}

/**
 * The readers that make PostgreSQL's rows look like SQLite's. They apply only
 * to the tests' own connections; the server parses its rows its own way.
 */
const SAME_AS_SQLITE: Record<number, (text: string) => unknown> = {
  16: (text) => (text === "t" ? 1 : 0), // boolean
  20: Number, // bigint: counts and event ids, far below 2^53
  114: (text) => text, // json, as SQLite's text
  3802: (text) => text, // jsonb
  1184: (text) => (pg.types.getTypeParser(1184)(text) as Date).getTime(), // timestamptz
};
const testTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    SAME_AS_SQLITE[oid] ?? pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types: testTypes, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw unreachable(error);
  }
  // A connection the server drops (a database dropped WITH (FORCE)) must not take the test process down.
  client.on("error", () => {});
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Fails with the message above unless PostgreSQL answers at TEST_POSTGRES_URL. */
export async function checkPostgresReachable(): Promise<void> {
  await withPostgres(postgresAdminUrl(), (client) => client.query("SELECT 1"));
}

/** `?` placeholders become `$1, $2, …`; a `?` inside quotes or an identifier stays as it is. */
export function numberPlaceholders(sqlText: string): string {
  let n = 0;
  return sqlText.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === "?" ? `$${++n}` : match));
}

/** Values as each engine's driver binds them: better-sqlite3 takes no Date or boolean; neither engine takes a bare object. */
function bindable(value: unknown, engine: DatabaseEngine): unknown {
  if (value instanceof Date) return engine === "sqlite" ? value.getTime() : value;
  if (typeof value === "boolean") return engine === "sqlite" ? Number(value) : value;
  if (value !== null && typeof value === "object" && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export class TestDatabase {
  private disposed = false;

  private constructor(
    readonly engine: DatabaseEngine,
    /** The SQLite file, or the PostgreSQL database's address. */
    private readonly location: string,
    /** Created for this test: dropped by `dispose()`. A database the caller named is left alone. */
    private readonly owned: boolean,
  ) {}

  /** A new, empty database on the configured engine; the server migrates it when it starts. */
  static async fresh(engine: DatabaseEngine = configuredEngine()): Promise<TestDatabase> {
    if (engine === "sqlite") {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-test-"));
      return new TestDatabase("sqlite", path.join(dir, "test.sqlite"), false);
    }
    const name = `consilience_test_${randomBytes(6).toString("hex")}`;
    await withPostgres(postgresAdminUrl(), (client) => client.query(`CREATE DATABASE ${quoted(name)}`));
    const url = new URL(postgresAdminUrl());
    url.pathname = `/${name}`;
    return new TestDatabase("postgres", url.toString(), true);
  }

  /** The database a caller named in the server's environment (DATABASE_URL or DATABASE_PATH), if any. */
  static named(env: Record<string, string>): TestDatabase | undefined {
    if (env.DATABASE_URL) return new TestDatabase("postgres", env.DATABASE_URL, false);
    if (env.DATABASE_PATH) return new TestDatabase("sqlite", env.DATABASE_PATH, false);
    return undefined;
  }

  /** The SQLite file, for the checks that only a file has (integrity_check, backups). */
  get path(): string {
    if (this.engine !== "sqlite") throw new Error("this test server runs on PostgreSQL: it has no SQLite file (use server.database)");
    return this.location;
  }

  /** The PostgreSQL database's address, for what runs against it from outside a server (db:copy, psql). */
  get url(): string {
    if (this.engine !== "postgres") throw new Error("this is a SQLite file: it has no PostgreSQL address (use path)");
    return this.location;
  }

  /** What the server process is told, and nothing of the other engine (an inherited DATABASE_URL would win over the file). */
  serverEnv(): Record<string, string> {
    return this.engine === "sqlite" ? { DATABASE_PATH: this.location, DATABASE_URL: "" } : { DATABASE_URL: this.location };
  }

  describe(): string {
    return this.engine === "sqlite" ? `SQLite file ${this.location}` : `PostgreSQL database ${withoutPassword(this.location)}`;
  }

  /** Runs one statement and answers its rows (none for a write). */
  async query<T = Record<string, unknown>>(sqlText: string, params: unknown[] = []): Promise<T[]> {
    const values = params.map((value) => bindable(value, this.engine));
    if (this.engine === "postgres") {
      return withPostgres(this.location, async (client) => (await client.query(numberPlaceholders(sqlText), values)).rows as T[]);
    }
    const db = new Database(this.location, { timeout: 5000 });
    try {
      const statement = db.prepare(sqlText);
      if (statement.reader) return statement.all(...values) as T[];
      statement.run(...values);
      return [];
    } finally {
      db.close();
    }
  }

  /** The first row of a query, or undefined. */
  async one<T = Record<string, unknown>>(sqlText: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.query<T>(sqlText, params))[0];
  }

  /** Rows in a table, optionally only those matching a condition written with `?` placeholders. */
  async count(table: string, where?: string, params: unknown[] = []): Promise<number> {
    const row = await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${quoted(table)}${where ? ` WHERE ${where}` : ""}`, params);
    return Number(row?.n);
  }

  /** How many migrations the server recorded here: none means it is serving some other database. */
  async appliedMigrations(): Promise<number> {
    const table = this.engine === "sqlite" ? '"__drizzle_migrations"' : 'drizzle."__drizzle_migrations"';
    try {
      return Number((await this.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n);
    } catch {
      return 0;
    }
  }

  /** Moves a row's `expires_at` to the epoch, so the next request finds it expired. */
  async expire(table: "access_tokens" | "invitations" | "sessions", id: string): Promise<void> {
    await this.query(`UPDATE ${quoted(table)} SET expires_at = ? WHERE id = ?`, [new Date(0), id]);
  }

  /** Every row of every table (migrations bookkeeping included), in a stable order, keyed by table name. */
  async allTableRows(): Promise<Record<string, Record<string, unknown>[]>> {
    const tables =
      this.engine === "sqlite"
        ? await this.query<{ name: string; qualified: string }>(
            `SELECT name, '"' || name || '"' AS qualified FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
          )
        : await this.query<{ name: string; qualified: string }>(
            `SELECT table_name AS name, format('%I.%I', table_schema, table_name) AS qualified FROM information_schema.tables
             WHERE table_schema IN ('public', 'drizzle') AND table_type = 'BASE TABLE' ORDER BY table_name`,
          );
    const result: Record<string, Record<string, unknown>[]> = {};
    for (const { name, qualified } of tables) {
      // Order by every column, so two copies of one table list their rows alike.
      const [first] = await this.query(`SELECT * FROM ${qualified} LIMIT 1`);
      const order = first ? ` ORDER BY ${Object.keys(first).map(quoted).join(", ")}` : "";
      result[name] = await this.query(`SELECT * FROM ${qualified}${order}`);
    }
    return result;
  }

  /** Drops a PostgreSQL database made for this test, even with connections still open. Safe to call twice. */
  async dispose(): Promise<void> {
    if (!this.owned || this.disposed) return;
    this.disposed = true;
    const name = new URL(this.location).pathname.slice(1);
    await withPostgres(postgresAdminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`));
  }
}
