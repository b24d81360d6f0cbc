import { defineConfig } from "vitest/config";

/**
 * Three projects: unit (pure code), integration (a real server process and a
 * real SQLite file per test file), e2e (the same, driven through Chromium).
 * `npm test` builds the app first, because integration and e2e run the build.
 */
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
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
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
