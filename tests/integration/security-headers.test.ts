/**
 * Browser security headers: every answer — a page, an API answer, a static
 * file, an error — carries the Content-Security-Policy and its companions, and
 * a page's inline scripts carry the nonce its policy names.
 */
import { describe, expect, it } from "vitest";
import { registerUser } from "#tests/support/api.ts";
import { startServer, useServer } from "#tests/support/server.ts";

const server = useServer();

/** The policy as directive → sources. */
function parsePolicy(header: string | null): Map<string, string[]> {
  expect(header).toBeTruthy();
  return new Map(
    header!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

function expectSecurityHeaders(headers: Headers) {
  const policy = parsePolicy(headers.get("content-security-policy"));
  const scripts = policy.get("script-src")!;
  expect(scripts).toContainEqual(expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}==?'$/));
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("base-uri")).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("form-action")).toEqual(["'self'"]);
  expect(policy.get("style-src")).toEqual(["'self'", policy.get("script-src")?.[1]]);
  expect(policy.get("style-src")?.[1]).toMatch(/^'nonce-[A-Za-z0-9+/=]{16,}'$/);
  expect(policy.get("img-src")).toEqual(["'self'", "data:", "https:"]);
  const host = new URL(server.url).host;
  expect(policy.get("connect-src")).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("referrer-policy")).toBe("same-origin");
  expect(headers.get("cross-origin-opener-policy")).toBe("same-origin");
  expect(headers.get("permissions-policy")).toContain("camera=()");
  // The test server runs as in production.
  expect(headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  return policy;
}

const nonceOf = (policy: Map<string, string[]>) =>
  /^'nonce-(.+)'$/.exec(policy.get("script-src")!.find((s) => s.startsWith("'nonce-"))!)![1];

describe("security headers", () => {
  it("come with every page, and every inline script of the page carries the page's nonce", async () => {
    const response = await fetch(`${server.url}/login`);
    expect(response.status).toBe(200);
    const policy = expectSecurityHeaders(response.headers);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      if (/\bsrc=/.test(attributes)) continue;
      expect(attributes).toContain(`nonce="${nonceOf(policy)}"`);
    }
  });

  it("use a fresh nonce for every answer", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++)
      nonces.add(nonceOf(parsePolicy((await fetch(`${server.url}/login`)).headers.get("content-security-policy"))));
    expect(nonces.size).toBe(3);
  });

  it("come with API answers, successful or not", async () => {
    const user = await registerUser(server.url, "Header Reader");
    const me = await user.api.get("/api/v1/me");
    expect(me.status).toBe(200);
    expectSecurityHeaders(me.headers);
    const missing = await user.api.get("/api/v1/nothing-here");
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
    expectSecurityHeaders((await fetch(`${server.url}/api/v1/me`)).headers);
  });

  it("come with static files, the built scripts and the health check", async () => {
    const favicon = await fetch(`${server.url}/favicon.svg`);
    expect(favicon.status).toBe(200);
    expectSecurityHeaders(favicon.headers);
    const html = await (await fetch(`${server.url}/login`)).text();
    const script = /<link rel="modulepreload" href="(\/build\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const built = await fetch(server.url + script);
    expect(built.status).toBe(200);
    expectSecurityHeaders(built.headers);
    expectSecurityHeaders((await fetch(`${server.url}/healthz`)).headers);
  });

  it("come with a page that does not exist", async () => {
    const response = await fetch(`${server.url}/no/such/page`);
    expect(response.status).toBe(404);
    expectSecurityHeaders(response.headers);
  });

  it("leave HSTS out in development, where the app may be served over plain HTTP off localhost", async () => {
    const development = await startServer({ NODE_ENV: "development" });
    try {
      const response = await fetch(`${development.url}/healthz`);
      expect(response.headers.get("strict-transport-security")).toBeNull();
      expect(response.headers.get("content-security-policy")).toContain("object-src 'none'");
    } finally {
      await development.stop();
    }
  });
});
