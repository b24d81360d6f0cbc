import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one plain line at the end of a run, `N passed, N failed`, which CI
 * reads (it does not parse vitest's own summary). Skipped tests are named on
 * the line after, so a silently skipped suite is visible.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedHere++;
        else skipped++;
      }
      // A file that failed to load, or whose set-up failed so its tests were skipped, is still a failure.
      if (failedHere === 0 && module.state() === "failed") failedHere = 1;
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    console.log(`\n${passed} passed, ${failed} failed`);
    if (skipped) console.log(`(${skipped} skipped)`);
  }
}
