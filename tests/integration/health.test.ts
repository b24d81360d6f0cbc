import { describe, expect, it } from "vitest";
import { useServer } from "#tests/support/server.ts";

describe("a fresh server", () => {
  const server = useServer();

  it("answers the health check once the database is migrated", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("stops cleanly on SIGTERM with exit code 0", async () => {
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain("Stopped cleanly.");
  });
});
