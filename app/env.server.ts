/**
 * Every setting the process reads from its environment, read and checked in
 * one place (README, "Configuration"). An empty value counts as unset. A value
 * that is set but wrong stops start-up with one line per problem naming the
 * variable, what it must be and what it was, rather than running on a guess.
 */
import { z } from "zod";

const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);

function setting<T extends z.ZodType>(schema: T) {
  return z.preprocess(unsetWhenEmpty, schema);
}

const wholeNumber = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `must be ${what}` })
    .int(`must be ${what}`)
    .min(min, `must be ${what}`)
    .max(max, `must be ${what}`);

/** Origins: scheme, host and port, comma-separated. */
const originList = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const entry of value
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(entry);
    } catch {
      parsed = null;
    }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol) || parsed.origin !== entry.replace(/\/$/, "")) {
      ctx.addIssue({
        code: "custom",
        message: `“${entry}” is not an origin (scheme, host and port only), e.g. https://consilience.example.org`,
      });
      continue;
    }
    origins.push(parsed.origin);
  }
  return origins;
});

const EnvSchema = z.object({
  NODE_ENV: setting(z.enum(["production", "development", "test"], { error: "must be production or development" }).default("production")),
  PORT: setting(wholeNumber("a port number from 0 to 65535", 0, 65_535).default(3000)),
  HOST: setting(z.string().default("0.0.0.0")),
  APP_ORIGIN: setting(originList.default([])),
  DATABASE_PATH: setting(z.string().default("data/consilience.sqlite")),
  DATABASE_URL: setting(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/i, "must be a PostgreSQL address, postgres://user:password@host:5432/database")
      .optional(),
  ),
  DATABASE_POOL_SIZE: setting(wholeNumber("a whole number of at least 1", 1).default(10)),
  REDIS_URL: setting(
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/i, "must be a Redis address, redis://host:6379")
      .optional(),
  ),
  /** Names this deployment's keys and channels in Redis, so several deployments can share one server. */
  REDIS_PREFIX: setting(
    z
      .string()
      .regex(/^[\w.-]{1,40}$/, "must be 1 to 40 letters, digits, dots, dashes or underscores")
      .default("consilience"),
  ),
  SQLITE_SYNCHRONOUS: setting(
    z
      .string()
      .transform((v) => v.toUpperCase())
      .pipe(z.enum(["FULL", "NORMAL"], { error: "must be FULL or NORMAL" }))
      .default("FULL"),
  ),
  SEED_DEMO: setting(z.enum(["0", "1"], { error: "must be 1 (seed the demo consortium into an empty database) or 0" }).default("1")),
  DEMO_PASSWORD: setting(z.string().default("consilience-demo")),
  REGISTRATION: setting(z.enum(["open", "closed"], { error: "must be open or closed" }).default("open")),
  COOKIE_SECURE: setting(z.enum(["0", "1"], { error: "must be 1 or 0" }).optional()),
  /** Proxies in front of the app whose X-Forwarded-For is believed (0: none; the client's address is the connection's). */
  TRUST_PROXY: setting(wholeNumber("a whole number of proxies (0 when none)", 0, 10).default(0)),
  SHUTDOWN_GRACE_MS: setting(wholeNumber("a whole number of milliseconds", 0).default(10_000)),
  LOGIN_FAILURES_PER_ACCOUNT: setting(wholeNumber("a whole number of at least 1", 1).default(5)),
  LOGIN_ATTEMPTS_PER_IP: setting(wholeNumber("a whole number of at least 1", 1).default(30)),
  SOCKET_MESSAGES_PER_10S: setting(wholeNumber("a whole number of at least 1", 1).default(100)),
  IMPORT_LEASE_MS: setting(wholeNumber("a whole number of milliseconds of at least 1000", 1000).default(30_000)),
  /** How far an import thread stands back from the thread answering requests (a nice value; 0: not at all). */
  IMPORT_THREAD_NICE: setting(wholeNumber("a whole number from 0 to 19", 0, 19).default(10)),
  /** Messages a connection may send about live documents per 10 s (keystrokes and cursors; a budget of their own). */
  DOCUMENT_MESSAGES_PER_10S: setting(wholeNumber("a whole number of at least 1", 1).default(1000)),
  /** A live draft's updates are folded into its snapshot once this many have piled up (0: never, for measuring). */
  DRAFT_COMPACTION_UPDATES: setting(wholeNumber("a whole number", 0).default(500)),
  PRESENCE_COALESCE_MS: setting(wholeNumber("a whole number of milliseconds", 0).default(50)),
  /**
   * Signs links that must work without a session (unsubscribe). Unset: a random secret is made once and kept
   * in the database, so every process on that database signs alike (app/services/server-secret.server.ts).
   */
  APP_SECRET: setting(z.string().min(32, "must be at least 32 characters (e.g. openssl rand -hex 32)").optional()),
  /** Where email goes: an SMTP server (smtp://user:password@host:587, smtps://…:465). Unset: written as .eml files to EMAIL_OUTBOX_DIR. */
  SMTP_URL: setting(
    z
      .string()
      .regex(/^smtps?:\/\/\S+$/i, "must be an SMTP address, smtp://user:password@host:587 or smtps://host:465")
      .optional(),
  ),
  MAIL_FROM: setting(z.string().default("Consilience <consilience@localhost>")),
  EMAIL_OUTBOX_DIR: setting(z.string().default("data/outbox")),
  /** How long a mention, reply or reminder may stay unread in the app before it is emailed. */
  EMAIL_DELAY_MS: setting(wholeNumber("a whole number of milliseconds", 0).default(5 * 60_000)),
  /** "Immediately" still sends at most one email per person per window of this length (a quarter hour). */
  EMAIL_BATCH_MS: setting(wholeNumber("a whole number of milliseconds of at least 100", 100).default(15 * 60_000)),
  /** The window of a digest (a UTC day). */
  EMAIL_DIGEST_MS: setting(wholeNumber("a whole number of milliseconds of at least 100", 100).default(24 * 60 * 60_000)),
  /** How often the queue is filled and the outbox is sent. */
  EMAIL_POLL_MS: setting(wholeNumber("a whole number of milliseconds of at least 50", 50).default(30_000)),
  /** A claimed email not marked sent within this time is claimed again (its sender stopped). */
  EMAIL_SEND_LEASE_MS: setting(wholeNumber("a whole number of milliseconds of at least 100", 100).default(2 * 60_000)),
  EMAIL_RETRY_BASE_MS: setting(wholeNumber("a whole number of milliseconds of at least 10", 10).default(60_000)),
  EMAIL_MAX_ATTEMPTS: setting(wholeNumber("a whole number of at least 1", 1).default(8)),
  /** For the crash tests only: the sender waits this long between claiming an email and sending it. */
  EMAIL_TEST_PAUSE_AFTER_CLAIM_MS: setting(wholeNumber("a whole number of milliseconds", 0).default(0)),
  /** For the several-process tests only: a PostgreSQL import waits this long after each chunk it writes, so it is still writing when another process restarts. */
  IMPORT_TEST_PAUSE_PER_CHUNK_MS: setting(wholeNumber("a whole number of milliseconds", 0).default(0)),
  /** For the crash tests only: the sender waits this long between sending an email and marking it sent. */
  EMAIL_TEST_PAUSE_AFTER_SEND_MS: setting(wholeNumber("a whole number of milliseconds", 0).default(0)),
});

export type Env = z.output<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`The environment is not valid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Reads and checks the settings; throws an EnvError listing every problem. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new EnvError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const given = source[name];
      const shown = given === undefined || issue.message.includes(given) ? "" : ` (got “${given}”)`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

let current: Env | null = null;

/** The settings in force, read once. */
export function env(): Env {
  current ??= readEnv();
  return current;
}
