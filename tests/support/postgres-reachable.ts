/**
 * Set-up of every file in the integration-postgres project: when PostgreSQL
 * does not answer at TEST_POSTGRES_URL, the file fails at once with a message
 * that says so, instead of passing the files that never start a server or
 * failing the others one start-up timeout at a time.
 */
import { beforeAll } from "vitest";
import { checkPostgresReachable } from "./database.ts";

beforeAll(async () => {
  await checkPostgresReachable();
});
