/** The server's settings, read once from the environment (see README, "Configuration"). */
import { databasePath } from "#db/client.ts";
import { configuredOrigins } from "./origin.ts";

export const DEFAULT_DEMO_PASSWORD = "consilience-demo";

export function readConfig(env = process.env) {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? "0.0.0.0",
    databasePath: databasePath(),
    seedDemo: (env.SEED_DEMO ?? "1") === "1",
    demoPassword: env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
    production: env.NODE_ENV !== "development",
    /** Our public origins (APP_ORIGIN); the first builds every absolute link. */
    origins: configuredOrigins(env.APP_ORIGIN),
    /** How long in-flight requests get to finish on SIGTERM. */
    shutdownGraceMs: Number(env.SHUTDOWN_GRACE_MS ?? 10_000),
  };
}

export type ServerConfig = ReturnType<typeof readConfig>;
