/**
 * The CI gate on known vulnerabilities in what we ship: `npm audit --omit=dev`
 * fails the run on a high or critical advisory that is not accepted in
 * .ci/audit-allowlist.json (each entry explained in
 * docs/decisions/011-accepted-advisories.md). When the advisory database
 * cannot be reached, it warns and passes: an outage is not a finding.
 *
 *   node --import tsx tests/support/dependency-audit.ts
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface AcceptedAdvisory {
  /** The GitHub advisory id, e.g. GHSA-xxxx-xxxx-xxxx. */
  id: string;
  package: string;
  reason: string;
}

export interface Finding {
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
}

export type Verdict =
  | { status: "unreachable"; reason: string }
  | { status: "ok"; accepted: Finding[]; staleAllowlist: string[] }
  | { status: "fail"; unaccepted: Finding[]; accepted: Finding[] };

const BLOCKING = new Set(["high", "critical"]);

function advisoryId(url: string): string {
  return /GHSA-[\w-]+/i.exec(url)?.[0] ?? url;
}

/** Judges the JSON that `npm audit --json` printed (npm 7+ report format). */
export function judgeAudit(report: unknown, allowlist: AcceptedAdvisory[]): Verdict {
  const r = report as { vulnerabilities?: Record<string, { via?: unknown[] }>; message?: string; error?: { summary?: string } };
  if (!r || typeof r !== "object" || typeof r.vulnerabilities !== "object" || r.vulnerabilities === null) {
    return { status: "unreachable", reason: r?.message ?? r?.error?.summary ?? "npm audit gave no report" };
  }
  const findings = new Map<string, Finding>();
  for (const [name, vulnerability] of Object.entries(r.vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      // Strings name another vulnerable package; that package's own entry carries the advisory.
      if (typeof via !== "object" || via === null) continue;
      const v = via as { url?: string; title?: string; severity?: string; name?: string };
      if (!v.severity || !BLOCKING.has(v.severity)) continue;
      const id = advisoryId(v.url ?? v.title ?? name);
      findings.set(id, { id, package: v.name ?? name, severity: v.severity, title: v.title ?? "", url: v.url ?? "" });
    }
  }
  const allowed = new Set(allowlist.map((a) => a.id.toUpperCase()));
  const all = [...findings.values()];
  const accepted = all.filter((f) => allowed.has(f.id.toUpperCase()));
  const unaccepted = all.filter((f) => !allowed.has(f.id.toUpperCase()));
  if (unaccepted.length) return { status: "fail", unaccepted, accepted };
  const reported = new Set(all.map((f) => f.id.toUpperCase()));
  return { status: "ok", accepted, staleAllowlist: allowlist.map((a) => a.id).filter((id) => !reported.has(id.toUpperCase())) };
}

function main(): number {
  const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
  const allowlist: AcceptedAdvisory[] = JSON.parse(fs.readFileSync(path.join(root, ".ci", "audit-allowlist.json"), "utf8"));
  const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  let report: unknown = null;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = { message: run.error?.message ?? (run.stderr.trim().split("\n").at(-1) || "no JSON from npm audit") };
  }
  const verdict = judgeAudit(report, allowlist);
  if (verdict.status === "unreachable") {
    console.warn(`warning: dependency audit skipped, the advisory database could not be reached (${verdict.reason}).`);
    return 0;
  }
  for (const f of verdict.accepted) console.log(`accepted ${f.severity} advisory ${f.id} in ${f.package}: ${f.title}`);
  if (verdict.status === "fail") {
    for (const f of verdict.unaccepted) console.error(`NEW ${f.severity} advisory ${f.id} in ${f.package}: ${f.title} ${f.url}`);
    console.error(
      "Upgrade the dependency, or accept the advisory in .ci/audit-allowlist.json with a reason (docs/decisions/011-accepted-advisories.md).",
    );
    return 1;
  }
  for (const id of verdict.staleAllowlist)
    console.log(`note: ${id} is accepted in .ci/audit-allowlist.json but no longer reported; remove it.`);
  console.log("dependency audit: no unaccepted high or critical advisories in production dependencies.");
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
