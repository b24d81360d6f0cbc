/**
 * A small client for the JSON API, as a researcher's script would use it. It
 * also holds the server to its word: every answer is checked against the
 * OpenAPI document the server publishes (tests/support/contract.ts), so a test
 * fails when a route answers a status or a body the document does not describe.
 */
import { randomUUID } from "node:crypto";
import { checkAgainstContract } from "./contract.ts";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  withToken(token: string) {
    return new ApiClient(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      redirect: "manual",
    });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
    await checkAgainstContract(this.baseUrl, method, path, { status: response.status, headers: response.headers, body: parsed, text });
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>("GET", path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>("POST", path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>("PATCH", path, body, headers);
  }
  delete<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>("DELETE", path, undefined, headers);
  }
}

export const TEST_PASSWORD = "correct horse battery";

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  token: string;
  api: ApiClient;
}

/** Registers a fresh user through the API and issues them a token. */
export async function registerUser(baseUrl: string, name = "Test Researcher"): Promise<TestUser> {
  const anonymous = new ApiClient(baseUrl);
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, ".")}.${randomUUID().slice(0, 8)}@test.example`;
  const registered = await anonymous.post("/api/v1/auth/register", { email, name, password: TEST_PASSWORD });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const issued = await anonymous.post("/api/v1/auth/token", { email, password: TEST_PASSWORD, label: "tests" });
  if (issued.status !== 201) throw new Error(`token failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  return {
    id: registered.body.user.id,
    email,
    name,
    password: TEST_PASSWORD,
    token: issued.body.token,
    api: anonymous.withToken(issued.body.token),
  };
}

/** A workspace with a lead, and one member of each other role who joined by invitation. */
export async function workspaceWithRoles(baseUrl: string) {
  const lead = await registerUser(baseUrl, "Lead Researcher");
  const contributor = await registerUser(baseUrl, "Contributing Researcher");
  const observer = await registerUser(baseUrl, "Observing Researcher");
  const outsider = await registerUser(baseUrl, "Outside Researcher");
  const created = await lead.api.post("/api/v1/workspaces", { name: "Test consortium" });
  const workspaceId: string = created.body.id;
  for (const [member, role] of [
    [contributor, "contributor"],
    [observer, "observer"],
  ] as const) {
    const invitation = await lead.api.post(`/api/v1/workspaces/${workspaceId}/invitations`, { role });
    const accepted = await member.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
    if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  }
  return { workspaceId, lead, contributor, observer, outsider };
}

/**
 * Signs in through the browser's sign-in form and answers the session cookie
 * (`consilience_session=…`), as a browser would hold it after signing in.
 */
export async function signInForSessionCookie(baseUrl: string, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: baseUrl },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: "manual",
  });
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("consilience_session=") && c.length > "consilience_session=".length);
  if (!session) throw new Error(`sign-in gave no session cookie: ${response.status} ${await response.text()}`);
  return session;
}
