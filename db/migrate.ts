import { connection } from "./client.ts";

/** Applies every committed migration of this engine that the database has not seen yet (db/migrations/<engine>/). */
export async function migrateDatabase(): Promise<void> {
  await connection().migrate();
}
