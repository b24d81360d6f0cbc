/**
 * The OpenAPI document tells the truth about the routes: every route file is
 * described, every described path and method is served (and answers only the
 * statuses described), and every method not described answers 405.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, type TestUser } from "#tests/support/api.ts";
import { isApiCatchAll, isApiRoute, routeFiles, routePath } from "#tests/support/routes.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** The API's route files, less the catch-all 404. */
const apiRouteFiles = () => routeFiles().filter((f) => isApiRoute(f) && !isApiCatchAll(f));

type Operation = { requestBody?: unknown; responses: Record<string, unknown> };
type Document = { openapi: string; paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> } & Record<string, any>;

const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_, name) => `placeholder-${name}`);

function documentedOperations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path: p, method, op: item[method]! })),
  );
}

describe("the OpenAPI document", () => {
  let server: TestServer;
  let doc: Document;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer();
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    doc = await response.json();
    user = await registerUser(server.url, "Spec Reader");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is served without authentication as OpenAPI 3.x with paths", () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.cookieAuth).toMatchObject({ type: "apiKey", in: "cookie" });
  });

  it("maps flat route file names to URL paths the way Remix does", () => {
    expect(routePath("api.v1.workspaces.$ws.events[.csv].ts")).toBe("/api/v1/workspaces/{ws}/events.csv");
    expect(routePath("api.v1.invitations.$token.accept.ts")).toBe("/api/v1/invitations/{token}/accept");
    expect(routePath("api.v1.openapi[.json].ts")).toBe("/api/v1/openapi.json");
  });

  it("describes every API route file", () => {
    const files = apiRouteFiles();
    expect(files.length).toBeGreaterThan(0);
    const undocumented = files.map(routePath).filter((p) => !(p in doc.paths));
    expect(undocumented).toEqual([]);
  });

  it("describes no API path without a route file, and the health check besides", () => {
    const served = new Set(apiRouteFiles().map(routePath));
    const extra = Object.keys(doc.paths).filter((p) => p.startsWith("/api/") && !served.has(p));
    expect(extra).toEqual([]);
    expect(doc.paths["/healthz"]?.get).toBeDefined();
  });

  it("declares every path parameter and resolves every $ref", () => {
    for (const [p, item] of Object.entries(doc.paths)) {
      const declared = ((item as any).parameters ?? []).filter((x: any) => x.in === "path").map((x: any) => x.name);
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared.sort(), p).toEqual(inPath.sort());
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const raw of refs) {
      const pointer = raw.slice('"$ref":"#/'.length, -1).split("/");
      const target = pointer.reduce<any>((node, key) => node?.[key], doc);
      expect(target, raw).toBeDefined();
    }
  });

  it("gives every error response the {error:{code,message,details}} shape and lists the {items,nextCursor} shape", () => {
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message", "details"]);
    expect(doc.components.schemas.WorkspaceList.required).toEqual(["items", "nextCursor"]);
    for (const name of ["User", "Workspace", "Member", "Event", "Invitation", "AccessToken"]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    for (const { path: p, method, op } of documentedOperations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect((response as any).$ref, `${method} ${p} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
  });

  it("answers every described method without authentication, with a described status and never 405", async () => {
    const anonymous = new ApiClient(server.url);
    const problems: string[] = [];
    for (const { path: p, method, op } of documentedOperations(doc)) {
      const response = await anonymous.request(method.toUpperCase(), fill(p), op.requestBody ? {} : undefined);
      if (response.status === 405 || !(String(response.status) in op.responses)) {
        problems.push(`${method.toUpperCase()} ${p} → ${response.status} (documented: ${Object.keys(op.responses)})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("answers every described method for a signed-in caller with placeholder ids, with a described status", async () => {
    const problems: string[] = [];
    for (const { path: p, method, op } of documentedOperations(doc)) {
      // A token of its own for each call, since DELETE /auth/token revokes the one it is sent with.
      const issued = await user.api.post("/api/v1/me/tokens", { label: `${method} ${p}`.slice(0, 100) });
      expect(issued.status).toBe(201);
      const caller = new ApiClient(server.url, issued.body.token);
      const response = await caller.request(method.toUpperCase(), fill(p), op.requestBody ? {} : undefined);
      if (response.status === 405 || response.status >= 500 || !(String(response.status) in op.responses)) {
        problems.push(`${method.toUpperCase()} ${p} → ${response.status} (documented: ${Object.keys(op.responses)})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("answers 405 with an Allow header naming exactly the described methods for a method not described", async () => {
    const checked: string[] = [];
    for (const [p, item] of Object.entries(doc.paths)) {
      if (!p.startsWith("/api/v1/")) continue; // /healthz is Express's, not an API route
      const documented = METHODS.filter((m) => (item as any)[m]).map((m) => m.toUpperCase());
      const missing = METHODS.map((m) => m.toUpperCase()).filter((m) => !documented.includes(m));
      for (const method of missing) {
        const response = await user.api.request(method, fill(p), method === "GET" ? undefined : {});
        expect(response.status, `${method} ${p}`).toBe(405);
        expect(response.body.error.code).toBe("method_not_allowed");
        const allow = (response.headers.get("allow") ?? "").split(/,\s*/).filter(Boolean).sort();
        expect(allow, `Allow of ${p}`).toEqual([...documented].sort());
        checked.push(`${method} ${p}`);
      }
    }
    expect(checked).toContain("DELETE /api/v1/me");
    expect(checked).toContain("POST /api/v1/openapi.json");
  });

  it("names every JSON body it describes: each is a shape of components.schemas", () => {
    const inline: string[] = [];
    for (const { path: p, method, op } of documentedOperations(doc)) {
      const bodies = [op.requestBody, ...Object.values(op.responses)] as any[];
      for (const body of bodies) {
        const schema = body?.content?.["application/json"]?.schema;
        if (schema && !String(schema.$ref ?? "").startsWith("#/components/schemas/")) inline.push(`${method} ${p}`);
      }
    }
    expect(inline).toEqual([]);
  });

  it("describes a study with its datasets, whether it was just created, read or edited", () => {
    const studyRef = { $ref: "#/components/schemas/Study" };
    const studies = doc.paths["/api/v1/workspaces/{ws}/studies"];
    const study = doc.paths["/api/v1/workspaces/{ws}/studies/{studyId}"];
    for (const response of [studies.post!.responses["201"], study.get!.responses["200"], study.patch!.responses["200"]]) {
      expect((response as any).content["application/json"].schema).toEqual(studyRef);
    }
    expect(doc.components.schemas.Study.required).toContain("datasets");
  });

  it("gives a stale edit's 409 the record as it now is", () => {
    const conflict = doc.paths["/api/v1/workspaces/{ws}/results/{resultId}"].patch!.responses["409"] as any;
    const response = doc.components.responses[conflict.$ref.split("/").pop()];
    const body = doc.components.schemas[response.content["application/json"].schema.$ref.split("/").pop()];
    expect(body.properties.error.properties.details.items.properties.current).toEqual({ $ref: "#/components/schemas/Result" });
  });

  it("generates request bodies from the zod schemas, including their limits", () => {
    const register = doc.components.schemas.RegisterInput;
    expect(register.required).toEqual(expect.arrayContaining(["email", "name", "password"]));
    expect(register.properties.password.minLength).toBe(10);
    expect(doc.components.schemas.ChangeRoleInput.properties.role.enum).toEqual(["observer", "contributor", "lead"]);
    expect(doc.paths["/api/v1/workspaces"].post!.requestBody).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/CreateWorkspaceInput" } } },
    });
  });
});
