import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, signInForSessionCookie, type TestUser } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();

describe("a browser session cookie", () => {
  let user: TestUser;
  let cookieApi: ApiClient;
  const workspaceNames = async () => ((await user.api.get("/api/v1/workspaces")).body.items as { name: string }[]).map((w) => w.name);

  beforeAll(async () => {
    user = await registerUser(server.url, "Browser User");
    const cookie = await signInForSessionCookie(server.url, user.email, user.password);
    cookieApi = new ApiClient(server.url);
    const request = cookieApi.request.bind(cookieApi);
    cookieApi.request = (method, path, body, headers = {}) => request(method, path, body, { cookie, ...headers });
  });

  it("authenticates API reads, which need no Origin header", async () => {
    const me = await cookieApi.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: user.id, email: user.email, name: user.name });
  });

  it("is refused with 403 on a write that comes from another site, and nothing is created", async () => {
    const response = await cookieApi.post("/api/v1/workspaces", { name: "Forged" }, { origin: "http://evil.example" });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("forbidden");
    expect(await workspaceNames()).not.toContain("Forged");
  });

  it("is refused with 403 on a write without an Origin header, or with Origin: null", async () => {
    expect((await cookieApi.post("/api/v1/workspaces", { name: "No origin" })).status).toBe(403);
    expect((await cookieApi.post("/api/v1/workspaces", { name: "Null origin" }, { origin: "null" })).status).toBe(403);
    expect((await cookieApi.patch("/api/v1/me", { name: "Renamed by a forgery" }, { origin: "http://evil.example" })).status).toBe(403);
    expect((await cookieApi.delete("/api/v1/me/tokens/anything", { origin: "http://evil.example" })).status).toBe(403);
    expect(await workspaceNames()).toEqual([]);
    expect((await user.api.get("/api/v1/me")).body.name).toBe("Browser User");
  });

  it("is refused on a write from another port of the same host", async () => {
    const otherPort = new URL(server.url);
    otherPort.port = String(Number(otherPort.port) === 1 ? 2 : 1);
    const response = await cookieApi.post("/api/v1/workspaces", { name: "Neighbour" }, { origin: otherPort.origin });
    expect(response.status).toBe(403);
  });

  it("works for the same write from our own origin", async () => {
    const response = await cookieApi.post("/api/v1/workspaces", { name: "Same origin" }, { origin: server.url });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: "Same origin", role: "lead" });
    expect(await workspaceNames()).toContain("Same origin");
  });

  it("is not needed by scripts: a bearer token writes without any Origin header", async () => {
    const response = await user.api.post("/api/v1/workspaces", { name: "From a script" });
    expect(response.status).toBe(201);
  });
});

describe("bad requests get a JSON error, never a 500", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(server.url, "Clumsy Script");
  });

  function expectJsonError(response: { status: number; headers: Headers; body: any }, status: number) {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }

  it("answers 404 JSON for an API path that does not exist, whatever the method", async () => {
    expectJsonError(await user.api.get("/api/v1/xyz"), 404);
    expectJsonError(await user.api.post("/api/v1/xyz", { a: 1 }), 404);
    expectJsonError(await user.api.get("/api/v1/workspaces/abc/nothing-here"), 404);
    expectJsonError(await new ApiClient(server.url).get("/api/v1/xyz"), 404);
  });

  it("answers 405 with Allow for a method the endpoint does not support", async () => {
    const put = await user.api.request("PUT", "/api/v1/workspaces", { name: "Put" });
    expectJsonError(put, 405);
    expect(put.headers.get("allow")).toContain("POST");
    expectJsonError(await user.api.delete("/api/v1/me"), 405);
    expectJsonError(await user.api.post("/api/v1/me/tokens/some-id"), 405);
  });

  it("answers 415 for a body that is not JSON", async () => {
    const response = await user.api.post("/api/v1/workspaces", "name=Form+encoded", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expectJsonError(response, 415);
    expectJsonError(await user.api.post("/api/v1/workspaces", '{"name":"Plain"}', { "content-type": "text/plain" }), 415);
  });

  it("answers 400 for malformed JSON", async () => {
    const response = await user.api.post("/api/v1/workspaces", '{"name": "Unclosed', { "content-type": "application/json" });
    expectJsonError(response, 400);
    expect(response.body.error.code).toBe("validation_failed");
  });

  it("answers 400 for JSON of the wrong shape", async () => {
    for (const body of ["[]", '"a string"', "42", "null", '{"name": 7}']) {
      expectJsonError(await user.api.post("/api/v1/workspaces", body, { "content-type": "application/json" }), 400);
    }
    expectJsonError(await user.api.patch("/api/v1/me", { name: { first: "Ada" } }), 400);
    expectJsonError(await new ApiClient(server.url).post("/api/v1/auth/token", "null", { "content-type": "application/json" }), 400);
    expectJsonError(await new ApiClient(server.url).post("/api/v1/auth/register", "[1,2]", { "content-type": "application/json" }), 400);
  });

  it("answers 413 for a JSON body over the size limit", async () => {
    const huge = JSON.stringify({ name: "Big", description: "x".repeat(1024 * 1024 + 10) });
    expectJsonError(await user.api.post("/api/v1/workspaces", huge), 413);
  });

  it("answers 401 JSON to calls without credentials", async () => {
    const anonymous = new ApiClient(server.url);
    expectJsonError(await anonymous.get("/api/v1/me"), 401);
    expectJsonError(await anonymous.post("/api/v1/workspaces", { name: "Anonymous" }), 401);
  });

  it("created nothing while refusing all of the above", async () => {
    expect((await user.api.get("/api/v1/workspaces")).body).toEqual({ items: [], nextCursor: null });
  });

  it("still answers the health check after all of it", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The API logs every answer it could not give (a 500) as "METHOD /path failed".
    expect(server.output()).not.toMatch(/^(GET|POST|PUT|PATCH|DELETE) \S+ failed/m);
  });
});
