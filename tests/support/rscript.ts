/**
 * R, for tests whose real consumer is R (metafor parity, parsing the scripts
 * the app writes). In CI (CI=true) R must be there: a missing R fails those
 * tests. Elsewhere they report themselves skipped, never passed.
 */
import { execFileSync } from "node:child_process";
import { it } from "vitest";

function findRscript(): string | null {
  try {
    const rscript = execFileSync("which", ["Rscript"]).toString().trim();
    execFileSync(rscript, ["-e", "library(metafor)"], { stdio: "ignore" });
    return rscript;
  } catch {
    return null;
  }
}

const found = findRscript();
const inCi = process.env.CI === "true" || process.env.CI === "1";

/** `it`, or `it.skip` when R is missing outside CI. */
export const itWithR = found || inCi ? it : it.skip;

/** The Rscript to run; throws (the test fails) when R with metafor is missing. */
export function rscript(): string {
  if (!found) throw new Error("R with metafor is missing: install r-base-core and r-cran-metafor (.ci/run does).");
  return found;
}
