import { defineConfig } from "vitest/config";

/**
 * Four projects: unit (pure code); integration, a real server process on a
 * real SQLite file per test file; integration-postgres, the same files on a
 * PostgreSQL database of their own (TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), and the files that need
 * PostgreSQL and Redis anyway; e2e, driven through Chromium on SQLite. `npm test` builds the app first, because integration and e2e run
 * the build.
 */
const integration = {
  include: ["tests/integration/**/*.test.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          ...integration,
          name: "integration",
          // Named explicitly, so a TEST_DATABASE_ENGINE left in the shell cannot move this project off SQLite.
          env: { TEST_DATABASE_ENGINE: "sqlite" },
          exclude: [
            // These need PostgreSQL whatever the engine (several processes share one PostgreSQL and Redis; the copy's
            // target is PostgreSQL): they run once, in integration-postgres, and this project needs no PostgreSQL.
            "tests/integration/several-processes.test.ts",
            "tests/integration/db-copy.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          ...integration,
          name: "integration-postgres",
          env: { TEST_DATABASE_ENGINE: "postgres" },
          // An unreachable PostgreSQL fails every file of this project with a message naming TEST_POSTGRES_URL.
          setupFiles: ["tests/support/postgres-reachable.ts"],
          exclude: [
            // Backups and restores are of the SQLite file itself (SQLite's online backup API, integrity_check,
            // files kept beside it); PostgreSQL has its own tools for that, which we do not wrap.
            "tests/integration/backup-restore.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          env: { TEST_DATABASE_ENGINE: "sqlite" },
          testTimeout: 90_000,
          hookTimeout: 90_000,
          pool: "forks",
          // One browser at a time: these machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
