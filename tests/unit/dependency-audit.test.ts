import { describe, expect, it } from "vitest";
import { judgeAudit } from "#tests/support/dependency-audit.ts";

/** The shape `npm audit --json` prints (report version 2), trimmed to what the gate reads. */
function report(vulnerabilities: Record<string, { via: unknown[] }>) {
  return { auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: {} } };
}
const advisory = (name: string, id: string, severity: string) => ({
  source: 1,
  name,
  dependency: name,
  title: `${name} does something bad`,
  url: `https://github.com/advisories/${id}`,
  severity,
  range: "<1.0.0",
});

describe("the dependency audit gate", () => {
  it("passes a report without vulnerabilities", () => {
    expect(judgeAudit(report({}), [])).toEqual({ status: "ok", accepted: [], staleAllowlist: [] });
  });

  it("fails on a new high or critical advisory, found through the package that carries it", () => {
    const verdict = judgeAudit(
      report({
        "deep-lib": { via: [advisory("deep-lib", "GHSA-aaaa-bbbb-cccc", "critical")] },
        "our-direct-dep": { via: ["deep-lib"] },
      }),
      [],
    );
    expect(verdict.status).toBe("fail");
    expect(verdict.status === "fail" && verdict.unaccepted.map((f) => [f.id, f.package, f.severity])).toEqual([
      ["GHSA-aaaa-bbbb-cccc", "deep-lib", "critical"],
    ]);
  });

  it("lets low and moderate advisories through", () => {
    const verdict = judgeAudit(
      report({
        tmp: { via: [advisory("tmp", "GHSA-1111-2222-3333", "low")] },
        other: { via: [advisory("other", "GHSA-4444-5555-6666", "moderate")] },
      }),
      [],
    );
    expect(verdict.status).toBe("ok");
  });

  it("passes an advisory accepted in the allowlist, and points out allowlist entries no longer reported", () => {
    const verdict = judgeAudit(report({ lib: { via: [advisory("lib", "GHSA-aaaa-bbbb-cccc", "high")] } }), [
      { id: "GHSA-aaaa-bbbb-cccc", package: "lib", reason: "not reachable from our code" },
      { id: "GHSA-9999-9999-9999", package: "gone", reason: "was fixed" },
    ]);
    expect(verdict).toMatchObject({ status: "ok", staleAllowlist: ["GHSA-9999-9999-9999"] });
    expect(verdict.status === "ok" && verdict.accepted.map((f) => f.id)).toEqual(["GHSA-aaaa-bbbb-cccc"]);
  });

  it("treats an unreachable advisory database as a warning, not a failure", () => {
    const offline = { message: "request to the registry failed, reason: getaddrinfo ENOTFOUND", code: "ENOTFOUND" };
    expect(judgeAudit(offline, [])).toEqual({ status: "unreachable", reason: offline.message });
    expect(judgeAudit({ statusCode: 405, message: "405 Method Not Allowed" }, [])).toMatchObject({ status: "unreachable" });
    expect(judgeAudit(null, [])).toMatchObject({ status: "unreachable" });
  });
});
