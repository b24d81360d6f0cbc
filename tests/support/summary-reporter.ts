import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints plain lines at the end of a run: one per project, then the total,
 * `N passed, N failed`, as the very last line, which CI reads (it does not
 * parse vitest's own summary). Skipped tests are named on the line after, so a
 * silently skipped suite is visible.
 */

/** How each project is named in the summary, in this order: the integration suite runs once per database engine. */
const PROJECT_LABELS: Record<string, string> = {
  unit: "unit",
  integration: "integration (SQLite)",
  "integration-postgres": "integration (PostgreSQL)",
  e2e: "e2e",
};
const projectOrder = (name: string) => {
  const known = Object.keys(PROJECT_LABELS).indexOf(name);
  return known === -1 ? Number.MAX_SAFE_INTEGER : known;
};

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

function tally(module: TestModule): Tally {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const test of module.children.allTests()) {
    const state = test.result().state;
    if (state === "passed") counts.passed++;
    else if (state === "failed") counts.failed++;
    else counts.skipped++;
  }
  // A file that failed to load, or whose set-up failed so its tests were skipped, is still a failure.
  if (counts.failed === 0 && module.state() === "failed") counts.failed = 1;
  return counts;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const byProject = new Map<string, Tally>();
    for (const module of testModules) {
      const name = module.project.name;
      const total = byProject.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      const counts = tally(module);
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
      byProject.set(name, total);
    }
    const all = [...byProject.values()];
    const passed = all.reduce((sum, t) => sum + t.passed, 0);
    const failed = all.reduce((sum, t) => sum + t.failed, 0) + unhandledErrors.length;
    const skipped = all.reduce((sum, t) => sum + t.skipped, 0);

    console.log("");
    const projects = [...byProject].sort(([a], [b]) => projectOrder(a) - projectOrder(b) || a.localeCompare(b));
    for (const [name, t] of projects) {
      console.log(`${PROJECT_LABELS[name] ?? name}: ${t.passed} passed, ${t.failed} failed${t.skipped ? ` (${t.skipped} skipped)` : ""}`);
    }
    console.log(`${passed} passed, ${failed} failed`);
    if (skipped) console.log(`(${skipped} skipped)`);
  }
}
