/**
 * drizzle-kit's settings for one engine at a time: `npm run db:generate` runs
 * it once per engine (DRIZZLE_ENGINE=sqlite, then postgres) and writes each
 * engine's migrations beside the other's under db/migrations/.
 */
import { defineConfig } from "drizzle-kit";

const engine = process.env.DRIZZLE_ENGINE === "postgres" ? "postgres" : "sqlite";
// The schema picks its column types from DATABASE_URL (db/engine.ts); generating needs no connection.
if (engine === "postgres") process.env.DATABASE_URL = "postgres://generate-only";
else delete process.env.DATABASE_URL;

export default defineConfig({
  dialect: engine === "postgres" ? "postgresql" : "sqlite",
  schema: "./db/schema.ts",
  out: `./db/migrations/${engine}`,
});
