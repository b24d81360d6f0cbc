/**
 * Which database engine this process runs on, decided once from DATABASE_URL:
 * a postgres:// (or postgresql://) address selects PostgreSQL; without one the
 * embedded SQLite file (DATABASE_PATH) stays the default. Read straight from
 * the environment because the schema needs it while modules load, before the
 * settings are checked (app/env.server.ts checks DATABASE_URL's form).
 */
export type DatabaseEngine = "sqlite" | "postgres";

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** A database address as it may be printed: without its password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, "@");
  }
}

export const databaseEngine: DatabaseEngine = isPostgresUrl(process.env.DATABASE_URL) ? "postgres" : "sqlite";
