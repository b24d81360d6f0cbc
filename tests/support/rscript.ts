/**
 * R, for tests whose real consumer is R (metafor parity, parsing the scripts
 * the app writes). In CI (CI=true) R must be there: a missing R fails those
 * tests. Elsewhere they report themselves skipped, never passed.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
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

const execFileAsync = promisify(execFile);

/**
 * Runs Rscript with `args` and answers what it printed; a failing script rejects with R's error. Never
 * synchronous: a test that blocked its event loop on R for seconds would miss the server closing an idle
 * keep-alive connection, and its next request on that connection would fail ("other side closed").
 */
export async function runR(args: string[], options: { cwd?: string } = {}): Promise<string> {
  const { stdout } = await execFileAsync(rscript(), args, { cwd: options.cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
