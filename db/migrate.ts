import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { AppDatabase } from "./client.ts";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies every committed migration that the database has not seen yet. */
export function migrateDatabase(db: AppDatabase): void {
  migrate(db, { migrationsFolder });
}
