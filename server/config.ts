/** The server's settings: the environment as app/env.server.ts reads and checks it (README, "Configuration"). */
import { env } from "#app/env.server.ts";

export function readConfig() {
  const settings = env();
  return {
    port: settings.PORT,
    host: settings.HOST,
    databasePath: settings.DATABASE_PATH,
    seedDemo: settings.SEED_DEMO === "1",
    demoPassword: settings.DEMO_PASSWORD,
    production: settings.NODE_ENV !== "development",
    /** Our public origins (APP_ORIGIN); the first builds every absolute link. */
    origins: settings.APP_ORIGIN,
    /** How long in-flight requests get to finish on SIGTERM. */
    shutdownGraceMs: settings.SHUTDOWN_GRACE_MS,
  };
}

export type ServerConfig = ReturnType<typeof readConfig>;
